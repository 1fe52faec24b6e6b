// The server side of bench/web-fanout.ts, fanout.bench.ts, event-loop.bench.ts and terminal.bench.ts, run in a child
// process so its memory and its event loop are its own: the real web server over Redis and Docker,
// with one chatty lease (or one to open terminals in). Speaks to the parent over IPC.

import { randomBytes } from 'node:crypto';
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { createContainerSessions } from '../src/composition/services.js';
import { connectDocker } from '../src/core/adapters/docker/docker-connection.js';
import { DockerRuntime } from '../src/core/adapters/docker/docker-runtime.js';
import { DockerExec } from '../src/core/adapters/docker/exec/docker-exec.js';
import { RedisKeys } from '../src/core/adapters/redis/keys.js';
import { RedisAuditTrail } from '../src/core/adapters/redis/redis-audit-trail.js';
import { connectRedis } from '../src/core/adapters/redis/redis-connection.js';
import { RedisFinalLogs } from '../src/core/adapters/redis/redis-final-logs.js';
import { RedisLeaseStore } from '../src/core/adapters/redis/redis-lease-store.js';
import { RedisSessionSlots } from '../src/core/adapters/redis/redis-session-slots.js';
import { RedisTerminalTickets } from '../src/core/adapters/redis/redis-terminal-tickets.js';
import { ImageCatalog } from '../src/core/config/image-catalog.js';
import { DEFAULT_AUDIT_RETENTION_MS } from '../src/core/domain/audit.js';
import { LinkTokens } from '../src/core/links/link-tokens.js';
import { SignedLinks } from '../src/core/links/signed-links.js';
import { systemClock } from '../src/core/ports/clock.js';
import type { LogLine, LogOptions } from '../src/core/ports/container-runtime.js';
import { silentLogger } from '../src/core/ports/logger.js';
import { AccessPolicy } from '../src/core/services/access-policy.js';
import { AdminService } from '../src/core/services/admin-service.js';
import { LeaseService } from '../src/core/services/lease-service.js';
import { PrometheusMetrics } from '../src/web/metrics.js';
import { startWebServer } from '../src/web/web-server.js';

const IMAGE = process.env.TEST_IMAGE ?? 'local/busybox:latest';
const LINE = 'line $i 0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz';
/** Bursts of 100 lines with a pause between (a few thousand lines a second), or no pause at all. */
const paced = (pauseMicros: number) =>
  `i=0; while true; do i=$((i+1)); echo "${LINE}"; [ $((i % 100)) -eq 0 ] && usleep ${pauseMicros}; done`;
/** Says "ready", then on SIGUSR1 writes 64 MiB without a newline, then "flood done". */
const FLOOD = `trap 'head -c ${64 * 1024 ** 2} /dev/zero | tr "\\0" x; echo; echo flood done' USR1; echo ready; while true; do sleep 1; done`;
const COMMANDS = {
  paced: paced(20_000),
  brisk: paced(3_000),
  unbounded: `i=0; while true; do i=$((i+1)); echo "${LINE}"; done`,
  flood: FLOOD,
  /** Prints nothing: a container to open terminals in. */
  quiet: 'exec sleep 2147483647',
};

// The parent may give the scope (npm run bench does, so it can clean up if this process dies).
const prefix = process.env.BENCH_PREFIX ?? `bench:${randomBytes(4).toString('hex')}:`;
const redis = connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', () => {});
const keys = new RedisKeys(prefix);
const store = new RedisLeaseStore(redis, keys, { warnBeforeMs: 600_000 });
const audit = new RedisAuditTrail(redis, keys, DEFAULT_AUDIT_RETENTION_MS);
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
let baseUrl = '';
const links = new SignedLinks(tokens, () => baseUrl, Date.now, { url: 'http://bench-ports' });
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
  links,
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
    teamQuotas: new Map(),
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
  ...createContainerSessions(
    { terminal: { maxPerLease: 3, idleMinutes: 30 } },
    {
      leases,
      exec: new DockerExec(docker, 'bench'),
      slots: new RedisSessionSlots(redis, keys),
      tickets: new RedisTerminalTickets(redis, keys),
      audit,
      clock: systemClock,
      logger: silentLogger,
    },
  ),
  admin: new AdminService({ leases, audit, clock: systemClock, policy: { maxTotalMinutes: 120 } }),
  linkTokens: tokens,
  apiTokens: new Map(),
  runtime,
  finalLogs,
  metrics: new PrometheusMetrics(),
  readiness: { redis: async () => ({ maxmemoryPolicy: 'noeviction' }), docker: () => runtime.ping() },
  gauges: { activeLeases: async () => 0, notificationsPending: async () => 0 },
  logger: silentLogger,
});
baseUrl = web.url;
const actor = leases.actor('local:bench');
const started: string[] = [];

type Request =
  | { type: 'provision'; imageType: keyof typeof COMMANDS }
  | { type: 'end'; id: string }
  | { type: 'rss' }
  | { type: 'loop'; action: 'start' | 'stop' }
  | { type: 'stop' };

/** This process's event-loop delay and resident memory over a window the parent opens and closes. */
let window: { delay: IntervalHistogram; sampler: NodeJS.Timeout; peakRss: () => number } | undefined;
function loopWindow(action: 'start' | 'stop') {
  if (action === 'start') {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    let peak = process.memoryUsage.rss();
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 50);
    window = { delay, sampler, peakRss: () => peak };
    return { type: 'loop', rss: peak };
  }
  const closed = window;
  if (!closed) throw new Error('no event-loop window is open');
  closed.delay.disable();
  clearInterval(closed.sampler);
  window = undefined;
  const ms = (ns: number) => ns / 1e6;
  const rss = process.memoryUsage.rss();
  return {
    type: 'loop',
    p50: ms(closed.delay.percentile(50)),
    p99: ms(closed.delay.percentile(99)),
    max: ms(closed.delay.max),
    peakRss: Math.max(closed.peakRss(), rss),
    rss,
  };
}

process.on('message', async (message: Request) => {
  if (message.type === 'provision') {
    const lease = await leases.provision(actor, {
      imageType: message.imageType,
      notify: { platform: 'local', user: 'bench' },
    });
    started.push(lease.id);
    const { id, containerId, logsUrl, terminalUrl } = lease;
    process.send?.({ type: 'lease', id, containerId, logsUrl, terminalUrl });
  } else if (message.type === 'end') {
    await leases.stop(actor, message.id);
    process.send?.({ type: 'ended', id: message.id });
  } else if (message.type === 'loop') {
    process.send?.(loopWindow(message.action));
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
