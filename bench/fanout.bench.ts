import { connectDocker } from '../src/core/adapters/docker/docker-connection.js';
import { Child } from './lib/child.js';
import { closeScope, openScope } from './lib/janitor.js';
import { bareLogReader, type Gaps, measure, sleep, wsViewer } from './lib/log-readers.js';
import type { BenchRow } from './lib/report.js';
import { median, times } from './lib/stats.js';

const TARGET = 0.9;
/** The container of web-fanout-server.ts that writes bursts of 100 lines with 20 ms pauses. */
const CHATTY = 'paced';
/** Its container that writes as fast as it can: the pace is then the readers', so overhead shows. */
const UNPACED = 'unbounded';

interface Lease {
  readonly id: string;
  readonly containerId: string;
  readonly logsUrl: string;
}
interface ServerStats {
  readonly rss: number;
  readonly streams: number;
  /** Docker log streams opened since the server started. */
  readonly opened: number;
}
type Reply =
  | { type: 'ready'; url: string }
  | ({ type: 'lease' } & Lease)
  | { type: 'ended'; id: string }
  | ({ type: 'rss' } & ServerStats);

/**
 * Lines per second that the real web server (in a child process, so its work is its own) delivers
 * to each of 1, 10 and 100 WebSocket viewers of one chatty container, against one bare dockerode
 * `logs({follow: true})` reader of the same container reading in the same seconds. Also checks that
 * each group of viewers shared exactly one Docker log stream.
 */
export async function benchFanout(viewerCounts: readonly number[], seconds: number): Promise<BenchRow[]> {
  const scope = openScope();
  const server = new Child<Reply>(new URL('./web-fanout-server.ts', import.meta.url), {
    BENCH_PREFIX: scope.prefix,
    BENCH_INSTANCE: scope.instanceId,
  });
  const { docker } = connectDocker(process.env.TEST_DOCKER_HOST);
  const stats = async () => {
    server.send({ type: 'rss' });
    return server.next('rss');
  };
  const rows: BenchRow[] = [];
  try {
    await server.next('ready');
    server.send({ type: 'provision', imageType: CHATTY });
    const lease = await server.next('lease');
    await sleep(1000);
    const [alone = 0] = await measure([bareLogReader(docker, lease.containerId)], seconds);
    for (const count of viewerCounts) {
      const before = await stats();
      let mostStreams = 0;
      const sampler = setInterval(
        () => void stats().then((s) => (mostStreams = Math.max(mostStreams, s.streams))),
        250,
      );
      const gaps: Gaps = { skipped: 0 };
      const viewers = Array.from({ length: count }, () => wsViewer(lease.logsUrl, gaps));
      const rates = await measure([...viewers, bareLogReader(docker, lease.containerId)], seconds);
      clearInterval(sampler);
      const bare = rates.pop() ?? 0;
      const opened = (await stats()).opened - before.opened;
      await untilNoStreams(stats);
      rows.push(row(count, rates, bare, alone, { opened, mostStreams, skipped: gaps.skipped }, seconds));
    }
    server.send({ type: 'end', id: lease.id });
    await server.next('ended');
    rows.push(await unpacedRow(server, docker, seconds));
  } finally {
    await server.stop();
    await closeScope(scope);
  }
  return rows;
}

function row(
  count: number,
  rates: readonly number[],
  bare: number,
  alone: number,
  streams: { opened: number; mostStreams: number; skipped: number },
  seconds: number,
): BenchRow {
  const mean = rates.reduce((sum, rate) => sum + rate, 0) / Math.max(1, rates.length);
  const slowest = Math.min(...rates);
  const ratio = mean / bare;
  const oneStream = streams.opened === 1 && streams.mostStreams <= 1;
  const viewers = `${count} viewer${count === 1 ? '' : 's'}`;
  return {
    name: `Log fan-out, ${viewers}`,
    ours: `${Math.round(mean).toLocaleString('en')} lines/s each (slowest ${Math.round(slowest).toLocaleString('en')}); ${streams.opened} Docker stream${streams.opened === 1 ? '' : 's'}`,
    baseline: `${Math.round(bare).toLocaleString('en')} lines/s (one bare \`logs({follow: true})\` reader, same seconds)`,
    ratio: times(ratio),
    target: `≥ ${TARGET}×, one Docker stream`,
    verdict: ratio >= TARGET && oneStream ? 'met' : 'missed',
    note:
      `${seconds} s window after 1 s of warm-up; ${Math.round(mean * count).toLocaleString('en')} lines/s delivered in all; ` +
      `${streams.skipped.toLocaleString('en')} lines skipped by backpressure; the same reader alone, before the viewers: ` +
      `${Math.round(alone).toLocaleString('en')} lines/s; Docker log streams the server opened for these viewers: ${streams.opened} (at most ${streams.mostStreams} at once).`,
    analysis:
      `Each viewer got ${times(ratio)} of the bare reader's lines (median viewer ${Math.round(median(rates)).toLocaleString('en')}, ` +
      `slowest ${Math.round(slowest).toLocaleString('en')} lines/s); ${streams.skipped.toLocaleString('en')} lines were skipped by backpressure for viewers that fell behind.`,
  };
}

/**
 * One viewer of a container that writes without pause, against a bare reader in the same seconds:
 * with the paced container both sides keep up (1.00×), so this row shows what our path costs.
 */
async function unpacedRow(
  server: Child<Reply>,
  docker: ReturnType<typeof connectDocker>['docker'],
  seconds: number,
): Promise<BenchRow> {
  server.send({ type: 'provision', imageType: UNPACED });
  const lease = await server.next('lease');
  await sleep(1000);
  const gaps: Gaps = { skipped: 0 };
  try {
    const [viewer = 0, bare = 0] = await measure(
      [wsViewer(lease.logsUrl, gaps), bareLogReader(docker, lease.containerId)],
      seconds,
    );
    return {
      name: 'Log fan-out, 1 viewer, unpaced container',
      ours: `${Math.round(viewer).toLocaleString('en')} lines/s to the viewer`,
      baseline: `${Math.round(bare).toLocaleString('en')} lines/s (one bare \`logs({follow: true})\` reader, same seconds)`,
      ratio: times(viewer / bare),
      target: 'report',
      verdict: 'info',
      note:
        `${seconds} s window after 1 s of warm-up; a container printing without pause, so the readers set the pace; ` +
        `${gaps.skipped.toLocaleString('en')} lines skipped by backpressure for the viewer.`,
    };
  } finally {
    server.send({ type: 'end', id: lease.id });
    await server.next('ended');
  }
}

async function untilNoStreams(stats: () => Promise<ServerStats>): Promise<void> {
  const deadline = performance.now() + 30_000;
  while ((await stats()).streams > 0) {
    if (performance.now() > deadline)
      throw new Error('the Docker log stream stayed open after every viewer left');
    await sleep(20);
  }
}
