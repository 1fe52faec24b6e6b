// Lines per second that the web server delivers to 1 and to 50 WebSocket viewers of one container,
// beside bare readers of the same container's log in the same run, and the server's resident
// memory with 50 viewers connected. Needs Redis and Docker (as the integration tests do).
//   npx tsx bench/web-fanout.ts            BENCH_SECONDS=8 per phase by default
import { type ChildProcess, fork } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { connectDocker } from '../src/core/adapters/docker/docker-connection.js';
import { DockerRuntime } from '../src/core/adapters/docker/docker-runtime.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const { docker } = connectDocker(process.env.DOCKER_HOST);

interface Lease {
  id: string;
  containerId: string;
  logsUrl: string;
}
type Reply =
  | { type: 'ready'; url: string }
  | ({ type: 'lease' } & Lease)
  | { type: 'ended'; id: string }
  | { type: 'rss'; rss: number; cpuMicros: number; streams: number };

const server: ChildProcess = fork(fileURLToPath(new URL('./web-fanout-server.ts', import.meta.url)), {
  execArgv: [
    ...process.execArgv,
    ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : []),
  ],
});
const replies: Reply[] = [];
const waiters: Array<() => void> = [];
server.on('message', (reply: Reply) => {
  replies.push(reply);
  for (const wake of waiters.splice(0)) wake();
});

async function next<T extends Reply['type']>(type: T): Promise<Extract<Reply, { type: T }>> {
  for (;;) {
    const index = replies.findIndex((reply) => reply.type === type);
    if (index >= 0) return replies.splice(index, 1)[0] as Extract<Reply, { type: T }>;
    await new Promise<void>((resolve) => waiters.push(resolve));
  }
}

async function serverStats(): Promise<{ rss: number; cpuMicros: number; streams: number }> {
  server.send({ type: 'rss' });
  return next('rss');
}

type Reader = (count: (lines: number) => void) => Promise<() => void>;

/** Lines per second of each reader over the same `SECONDS`, after a one-second warm-up. */
async function measure(...readers: Reader[]): Promise<number[]> {
  let counting = false;
  const lines = readers.map(() => 0);
  const stops = await Promise.all(
    readers.map((start, i) =>
      start((n) => {
        if (counting) lines[i] = (lines[i] ?? 0) + n;
      }),
    ),
  );
  await sleep(1000);
  counting = true;
  await sleep(SECONDS * 1000);
  counting = false;
  for (const stop of stops) stop();
  return lines.map((n) => n / SECONDS);
}

/** Docker's own stream through dockerode's demultiplexer: the ceiling of any reader. */
function rawReader(containerId: string) {
  return async (count: (n: number) => void) => {
    const abort = new AbortController();
    const stream = await docker.getContainer(containerId).logs({
      follow: true,
      stdout: true,
      stderr: true,
      timestamps: true,
      tail: 0,
      abortSignal: abort.signal,
    });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        count(occurrences(chunk, NEWLINE));
        done();
      },
    });
    docker.modem.demuxStream(stream, sink, sink);
    stream.on('error', () => {});
    return () => abort.abort();
  };
}

/** Core's DockerRuntime.logs, which the web server reads through. */
function coreReader(containerId: string) {
  return async (count: (n: number) => void) => {
    const abort = new AbortController();
    void (async () => {
      for await (const _ of new DockerRuntime(docker, 'bench').logs(containerId, {
        follow: true,
        tail: 0,
        signal: abort.signal,
      }))
        count(1);
    })().catch(() => {});
    return () => abort.abort();
  };
}

/** `viewers` WebSocket clients of the lease; lines are counted without parsing the JSON. */
function viewers(lease: Lease, howMany: number, gaps: { skipped: number }) {
  return async (count: (n: number) => void) => {
    const url = lease.logsUrl.replace(/^http/, 'ws');
    const sockets = await Promise.all(
      Array.from({ length: howMany }, () => {
        const socket = new WebSocket(url);
        socket.on('message', (data: Buffer) => {
          if (data[9] === 0x67 /* {"type":"gap" */)
            gaps.skipped += Number(/"skipped":(\d+)/.exec(String(data))?.[1]);
          else count(occurrences(data, STREAM_KEY));
        });
        return new Promise<WebSocket>((resolve, reject) => {
          socket.once('open', () => resolve(socket));
          socket.once('error', reject);
        });
      }),
    );
    return () => {
      for (const socket of sockets) socket.close();
    };
  };
}

const NEWLINE = Buffer.from('\n');
const STREAM_KEY = Buffer.from('"stream":');
function occurrences(buffer: Buffer, needle: Buffer): number {
  let found = 0;
  for (let at = buffer.indexOf(needle); at >= 0; at = buffer.indexOf(needle, at + needle.length)) found += 1;
  return found;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function scenario(
  imageType: 'paced' | 'brisk' | 'unbounded',
): Promise<Record<string, string | number>> {
  server.send({ type: 'provision', imageType });
  const lease = await next('lease');
  await sleep(1000);
  const [raw = 0] = await measure(rawReader(lease.containerId));
  const [core = 0] = await measure(coreReader(lease.containerId));
  const gapsOne = { skipped: 0 };
  const [one = 0, rawBesideOne = 0] = await measure(viewers(lease, 1, gapsOne), rawReader(lease.containerId));
  const gapsMany = { skipped: 0 };
  const before = await serverStats();
  let peakRss = 0;
  const sampler = setInterval(
    () => void serverStats().then(({ rss }) => (peakRss = Math.max(peakRss, rss))),
    500,
  );
  const started = performance.now();
  const [fifty = 0, rawBesideFifty = 0] = await measure(
    viewers(lease, 50, gapsMany),
    rawReader(lease.containerId),
  );
  clearInterval(sampler);
  const after = await serverStats();
  const cpuShare = (after.cpuMicros - before.cpuMicros) / 1000 / (performance.now() - started);
  const leaving = performance.now();
  while ((await serverStats()).streams > 0 && performance.now() - leaving < 30_000) await sleep(20);
  const streamClosedMs = Math.round(performance.now() - leaving);
  server.send({ type: 'end', id: lease.id });
  await next('ended');
  return {
    container: imageType,
    'bare dockerode reader alone (lines/s)': Math.round(raw),
    'core DockerRuntime.logs alone (lines/s)': Math.round(core),
    '1 viewer (lines/s)': Math.round(one),
    '  bare reader in the same window': Math.round(rawBesideOne),
    '50 viewers, each (lines/s)': Math.round(fifty / 50),
    '50 viewers, total (lines/s)': Math.round(fifty),
    '  bare reader in the same window ': Math.round(rawBesideFifty),
    'lines skipped for slow viewers (1 / 50)': `${gapsOne.skipped} / ${gapsMany.skipped}`,
    'server RSS before / peak with 50 viewers (MiB)': `${mib(before.rss)} / ${mib(peakRss)}`,
    'server CPU with 50 viewers (% of one core)': Math.round(cpuShare * 100),
    'ms until the Docker stream closed after they left': streamClosedMs,
  };
}

function mib(bytes: number): string {
  return (bytes / 1024 ** 2).toFixed(1);
}

try {
  await next('ready');
  const results = [await scenario('paced'), await scenario('brisk'), await scenario('unbounded')];
  for (const label of Object.keys(results[0] ?? {})) {
    process.stdout.write(
      `${label.padEnd(48)} ${results.map((row) => String(row[label]).padStart(14)).join(' ')}\n`,
    );
  }
} finally {
  server.send({ type: 'stop' });
  await new Promise((resolve) => server.once('exit', resolve));
}
