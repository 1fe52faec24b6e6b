import WebSocket from 'ws';
import { connectDocker } from '../src/core/adapters/docker/docker-connection.js';
import { Child } from './lib/child.js';
import { closeScope, openScope } from './lib/janitor.js';
import { sleep } from './lib/log-readers.js';
import type { BenchRow } from './lib/report.js';

const TARGET_P99_MS = 20;
const TARGET_RSS_GROWTH_MIB = 50;
const FLOOD_MIB = 64;

interface LoopFigures {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly peakRss: number;
  readonly rss: number;
}
type Reply =
  | { type: 'ready'; url: string }
  | { type: 'lease'; id: string; containerId: string; logsUrl: string }
  | { type: 'ended'; id: string }
  | ({ type: 'loop' } & Partial<LoopFigures>);

/** What one viewer of the flooding lease received. */
class FloodViewer {
  chars = 0;
  skipped = 0;
  lastMessageAt = 0;
  done = false;
  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      this.lastMessageAt = performance.now();
      const message = JSON.parse(String(data)) as
        | { type: 'lines'; lines: Array<{ text: string }> }
        | { type: 'gap'; skipped: number };
      if (message.type === 'gap') this.skipped += message.skipped;
      else
        for (const line of message.lines) {
          this.chars += line.text.length;
          if (line.text === 'flood done') this.done = true;
        }
    });
  }

  static async open(logsUrl: string): Promise<FloodViewer> {
    const socket = new WebSocket(logsUrl.replace(/^http/, 'ws'));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new FloodViewer(socket);
  }

  /** Until "flood done" arrived, or (should backpressure have skipped it) the stream went quiet after the flood. */
  async untilFlooded(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    const before = this.chars;
    for (;;) {
      const quiet = this.chars > before && performance.now() - this.lastMessageAt > 3_000;
      if (this.done || quiet) return;
      if (performance.now() > deadline) throw new Error('the flood never reached the viewer');
      await sleep(20);
    }
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * The web server's event-loop delay (p99, `monitorEventLoopDelay` in its own process) while one
 * container writes 64 MiB without a newline to a log page being watched, beside the same process
 * idle with the same viewer connected, in the same run; and how far its resident memory grew.
 * The stop that follows (final logs captured from the flooded log) is measured the same way.
 */
export async function benchEventLoop(idleSeconds: number): Promise<BenchRow> {
  const scope = openScope();
  // BENCH_PROFILE=<dir>: a CPU profile of the server, to see what holds its loop.
  const server = new Child<Reply>(
    new URL('./web-fanout-server.ts', import.meta.url),
    { BENCH_PREFIX: scope.prefix, BENCH_INSTANCE: scope.instanceId },
    process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : [],
  );
  const { docker } = connectDocker(process.env.TEST_DOCKER_HOST);
  const window = async (during: () => Promise<void>) => {
    server.send({ type: 'loop', action: 'start' });
    await server.next('loop');
    await during();
    server.send({ type: 'loop', action: 'stop' });
    return (await server.next('loop')) as LoopFigures;
  };
  try {
    await server.next('ready');
    server.send({ type: 'provision', imageType: 'flood' });
    const lease = await server.next('lease');
    const viewer = await FloodViewer.open(lease.logsUrl);
    await sleep(1000);
    const idle = await window(() => sleep(idleSeconds * 1000));
    const started = performance.now();
    const flood = await window(async () => {
      await docker.getContainer(lease.containerId).kill({ signal: 'SIGUSR1' });
      await viewer.untilFlooded(300_000);
    });
    const floodSeconds = (performance.now() - started) / 1000;
    viewer.close();
    const stop = await window(async () => {
      server.send({ type: 'end', id: lease.id });
      await server.next('ended');
    });
    return row(idle, flood, stop, { viewer, floodSeconds, idleSeconds });
  } finally {
    await server.stop();
    await closeScope(scope);
  }
}

function row(
  idle: LoopFigures,
  flood: LoopFigures,
  stop: LoopFigures,
  run: { viewer: FloodViewer; floodSeconds: number; idleSeconds: number },
): BenchRow {
  const growth = (flood.peakRss - idle.rss) / 1024 ** 2;
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const met = flood.p99 <= TARGET_P99_MS && growth <= TARGET_RSS_GROWTH_MIB;
  const received = run.viewer.chars / 1024 ** 2;
  return {
    name: `Event-loop delay p99, a container writing ${FLOOD_MIB} MiB without a newline to a watched log page`,
    ours: `${ms(flood.p99)} p99 (max ${ms(flood.max)}); RSS +${growth.toFixed(1)} MiB`,
    baseline: `${ms(idle.p99)} p99 (the same process idle, viewer connected)`,
    ratio: `${(flood.p99 / idle.p99).toFixed(2)}×`,
    target: `≤ ${TARGET_P99_MS} ms p99, RSS growth ≤ ${TARGET_RSS_GROWTH_MIB} MiB`,
    verdict: met ? 'met' : 'missed',
    note:
      `the real web server in its own process, measured with monitorEventLoopDelay (10 ms resolution) over ${run.idleSeconds} s idle, ` +
      `then over the ${run.floodSeconds.toFixed(1)} s in which one WebSocket viewer received the flood ` +
      `(${received.toFixed(1)} MiB of text in cut lines; ${run.viewer.skipped.toLocaleString('en')} lines skipped by backpressure; Docker's json-file log, 10 MiB × 2 files, rotates under it); ` +
      `RSS growth is the peak during the flood (sampled every 50 ms) less the RSS at the end of the idle window (${(idle.rss / 1024 ** 2).toFixed(1)} MiB); ` +
      `the stop that followed, which read the final logs from the flooded log, ran at ${ms(stop.p99)} p99 (max ${ms(stop.max)}).`,
    analysis: `Idle p50 ${ms(idle.p50)}, flood p50 ${ms(flood.p50)}, flood max ${ms(flood.max)}; peak RSS ${(flood.peakRss / 1024 ** 2).toFixed(1)} MiB.`,
  };
}
