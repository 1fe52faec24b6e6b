// Lines per second that the web server delivers to 1 and to 50 WebSocket viewers of one container,
// beside bare readers of the same container's log in the same run, and the server's resident
// memory with 50 viewers connected. Needs Redis and Docker (as the integration tests do).
//   npx tsx bench/web-fanout.ts            BENCH_SECONDS=8 per phase by default
import { connectDocker } from '../src/core/adapters/docker/docker-connection.js';
import { DockerRuntime } from '../src/core/adapters/docker/docker-runtime.js';
import { Child } from './lib/child.js';
import {
  bareLogReader,
  type Gaps,
  measure as measureFor,
  type Reader,
  sleep,
  wsViewer,
} from './lib/log-readers.js';

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

const server = new Child<Reply>(
  new URL('./web-fanout-server.ts', import.meta.url),
  {},
  process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : [],
);
const next = <T extends Reply['type']>(type: T) => server.next(type);

async function serverStats(): Promise<{ rss: number; cpuMicros: number; streams: number }> {
  server.send({ type: 'rss' });
  return next('rss');
}

/** Lines per second of each reader over the same `SECONDS`, after a one-second warm-up. */
function measure(...readers: Reader[]): Promise<number[]> {
  return measureFor(readers, SECONDS);
}

/** Docker's own stream through dockerode's demultiplexer: the ceiling of any reader. */
function rawReader(containerId: string): Reader {
  return bareLogReader(docker, containerId);
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

/** `howMany` WebSocket clients of the lease, counted together. */
function viewers(lease: Lease, howMany: number, gaps: Gaps): Reader {
  return async (count) => {
    const stops = await Promise.all(
      Array.from({ length: howMany }, () => wsViewer(lease.logsUrl, gaps)(count)),
    );
    return () => {
      for (const stop of stops) stop();
    };
  };
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
  await server.stop();
}
