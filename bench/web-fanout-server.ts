// The server side of bench/web-fanout.ts, run in a child process so its memory is its own:
// the real web server over Redis and Docker, with one chatty lease. Speaks to the parent over IPC.
import { randomBytes } from 'node:crypto';
import { connectDocker } from '../src/core/adapters/docker/docker-connection.js';
import { DockerRuntime } from '../src/core/adapters/docker/docker-runtime.js';
import { RedisKeys } from '../src/core/adapters/redis/keys.js';
import { connectRedis } from '../src/core/adapters/redis/redis-connection.js';
import { RedisFinalLogs } from '../src/core/adapters/redis/redis-final-logs.js';
import { RedisLeaseStore } from '../src/core/adapters/redis/redis-lease-store.js';
import { ImageCatalog } from '../src/core/config/image-catalog.js';
import { LinkTokens } from '../src/core/links/link-tokens.js';
import { SignedLinks } from '../src/core/links/signed-links.js';
import { systemClock } from '../src/core/ports/clock.js';
import type { LogLine, LogOptions } from '../src/core/ports/container-runtime.js';
import { silentLogger } from '../src/core/ports/logger.js';
import { AccessPolicy } from '../src/core/services/access-policy.js';
import { LeaseService } from '../src/core/services/lease-service.js';
import { PrometheusMetrics } from '../src/web/metrics.js';
import { startWebServer } from '../src/web/web-server.js';

const IMAGE = process.env.TEST_IMAGE ?? 'local/busybox:latest';
const LINE = 'line $i 0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz';
/** Bursts of 100 lines with a pause between (a few thousand lines a second), or no pause at all. */
const paced = (pauseMicros: number) =>
  `i=0; while true; do i=$((i+1)); echo "${LINE}"; [ $((i % 100)) -eq 0 ] && usleep ${pauseMicros}; done`;
const COMMANDS = {
  paced: paced(20_000),
  brisk: paced(3_000),
  unbounded: `i=0; while true; do i=$((i+1)); echo "${LINE}"; done`,
};

// The parent may give the scope (npm run bench does, so it can clean up if this process dies).
const prefix = process.env.BENCH_PREFIX ?? `bench:${randomBytes(4).toString('hex')}:`;
const redis = connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', () => {});
const keys = new RedisKeys(prefix);
const store = new RedisLeaseStore(redis, keys, { warnBeforeMs: 600_000 });
const { docker } = connectDocker(process.env.DOCKER_HOST);
/** Counts the Docker log streams the server opens, to show that viewers of one lease share one. */
class CountingRuntime extends DockerRuntime {
  opened = 0;
  override logs(id: string, options: LogOptions): AsyncIterable<LogLine> {
    if (options.follow) this.opened += 1;
    return super.logs(id, options);
  }
}
const runtime = new CountingRuntime(docker, 'bench');
const finalLogs = new RedisFinalLogs(redis, keys);
const tokens = new LinkTokens(randomBytes(32).toString('hex'), Date.now);
let links: SignedLinks | undefined;
const leases = new LeaseService({
  store,
  runtime,
  clock: systemClock,
  catalog: new ImageCatalog(
    Object.entries(COMMANDS).map(([name, script]) => ({
      name,
      image: IMAGE,
      cmd: ['sh', '-c', script],
      description: name,
      maxMinutes: undefined,
      capAdd: [],
    })),
  ),
  access: new AccessPolicy([]),
  links: { logsUrl: (lease) => links?.logsUrl(lease) ?? '' },
  finalLogs,
  logger: silentLogger,
  policy: {
    defaultMinutes: 30,
    maxMinutes: 60,
    maxPerUser: 5,
    maxActive: 50,
    warnMinutes: 10,
    maxTotalMinutes: 120,
    provisionTimeoutMs: 600_000,
  },
  limits: { memoryBytes: 256 * 1024 ** 2, nanoCpus: 1e9, pidsLimit: 64 },
  stopTimeoutSeconds: 1,
  visibilityTimeoutMs: 60_000,
  instanceId: process.env.BENCH_INSTANCE ?? `bench-${randomBytes(4).toString('hex')}`,
});
const web = await startWebServer({
  port: 0,
  host: '127.0.0.1',
  leases,
  linkTokens: tokens,
  apiTokens: new Map(),
  runtime,
  finalLogs,
  metrics: new PrometheusMetrics(),
  readiness: { redis: async () => ({ maxmemoryPolicy: 'noeviction' }), docker: () => runtime.ping() },
  gauges: { activeLeases: async () => 0, notificationsPending: async () => 0 },
  logger: silentLogger,
});
links = new SignedLinks(tokens, web.url, Date.now);
const actor = leases.actor('local:bench');
const started: string[] = [];

type Request =
  | { type: 'provision'; imageType: keyof typeof COMMANDS }
  | { type: 'end'; id: string }
  | { type: 'rss' }
  | { type: 'stop' };
export type Scenario = keyof typeof COMMANDS;

process.on('message', async (message: Request) => {
  if (message.type === 'provision') {
    const lease = await leases.provision(actor, {
      imageType: message.imageType,
      notify: { platform: 'local', user: 'bench' },
    });
    started.push(lease.id);
    process.send?.({ type: 'lease', id: lease.id, containerId: lease.containerId, logsUrl: lease.logsUrl });
  } else if (message.type === 'end') {
    await leases.stop(actor, message.id);
    process.send?.({ type: 'ended', id: message.id });
  } else if (message.type === 'rss') {
    const cpu = process.cpuUsage();
    const { rss } = process.memoryUsage();
    const { streamCount: streams } = web.logStreams;
    process.send?.({ type: 'rss', rss, cpuMicros: cpu.user + cpu.system, streams, opened: runtime.opened });
  } else {
    for (const id of started) await leases.stop(actor, id).catch(() => {});
    await web.close();
    const found = await redis.keys(`${keys.base.replace(/[{}]/g, '\\$&')}*`);
    if (found.length > 0) await redis.del(...found);
    redis.disconnect();
    process.exit(0);
  }
});
process.send?.({ type: 'ready', url: web.url });
// The parent is gone (interrupted): it removes what this process created, by the scope it gave.
process.on('disconnect', () => process.exit(1));
