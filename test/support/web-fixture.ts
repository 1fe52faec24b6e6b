import type { Redis } from 'ioredis';
import { createAdminService, createLeaseService } from '../../src/composition/services.js';
import type { RedisAuditTrail } from '../../src/core/adapters/redis/redis-audit-trail.js';
import type { RedisFinalLogs } from '../../src/core/adapters/redis/redis-final-logs.js';
import type { RedisLeaseStore } from '../../src/core/adapters/redis/redis-lease-store.js';
import type { LeasePolicy } from '../../src/core/config/config.js';
import { ImageCatalog } from '../../src/core/config/image-catalog.js';
import { LinkTokens } from '../../src/core/links/link-tokens.js';
import { SignedLinks } from '../../src/core/links/signed-links.js';
import { systemClock } from '../../src/core/ports/clock.js';
import type { ContainerRuntime } from '../../src/core/ports/container-runtime.js';
import type { LinkIssuer } from '../../src/core/ports/links.js';
import { silentLogger } from '../../src/core/ports/logger.js';
import type { LeaseService } from '../../src/core/services/lease-service.js';
import { PrometheusMetrics } from '../../src/web/metrics.js';
import type { ReadinessChecks } from '../../src/web/readiness.js';
import { startWebServer, type WebServer, type WebServerOptions } from '../../src/web/web-server.js';
import { TEST_CATALOG, TEST_LINK_SECRET, TEST_POLICY, TEST_SETTINGS } from './lease-service-fixture.js';
import {
  flushPrefix,
  openTestAdapters,
  removeInstanceContainers,
  TEST_IMAGE,
  uniqueInstance,
  uniquePrefix,
} from './services.js';

/** What `flood` writes, all on one line: less than one log file (10 MiB), so Docker's rotation plays no part. */
export const FLOOD_BYTES = 8 * 1024 ** 2;
const FLOOD = `head -c ${FLOOD_BYTES} /dev/zero | tr "\\0" x`;
/** What `spill` writes on one line as it starts: a few cut lines, few enough for a browser to draw at once. */
export const SPILL_BYTES = 40_000;

/**
 * The test catalog (`busybox` prints "line N" once a second, `missing` never starts), with
 * `graceful`, which also says "final words" on stderr when stopped, `chatty`, which prints as
 * fast as it can, and `flood`, which says "ready" and, when sent SIGUSR1, writes 8 MiB without a
 * newline, then "flood done", and `spill`, which writes 40 000 bytes without a newline as it starts.
 */
export const WEB_CATALOG = new ImageCatalog([
  ...TEST_CATALOG.list(),
  {
    name: 'graceful',
    image: TEST_IMAGE,
    cmd: [
      'sh',
      '-c',
      'trap "echo final words >&2; exit 0" TERM; i=0; while true; do i=$((i+1)); echo "line $i"; sleep 1; done',
    ],
    description: 'BusyBox that says goodbye on stderr when stopped',
    maxMinutes: undefined,
    capAdd: [],
  },
  {
    name: 'chatty',
    image: TEST_IMAGE,
    cmd: [
      'sh',
      '-c',
      'i=0; while true; do i=$((i+1)); echo "line $i 0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz"; done',
    ],
    description: 'BusyBox printing as fast as it can',
    maxMinutes: undefined,
    capAdd: [],
  },
  {
    name: 'flood',
    image: TEST_IMAGE,
    cmd: [
      'sh',
      '-c',
      `echo ready; trap '${FLOOD}; echo; echo flood done' USR1; while true; do sleep 1; done`,
    ],
    description: 'BusyBox that writes 8 MiB without a newline when sent SIGUSR1',
    maxMinutes: undefined,
    capAdd: [],
  },
  {
    name: 'spill',
    image: TEST_IMAGE,
    cmd: [
      'sh',
      '-c',
      `head -c ${SPILL_BYTES} /dev/zero | tr "\\0" y; echo; echo spill done; while true; do sleep 1; done`,
    ],
    description: 'BusyBox that writes 40 000 bytes without a newline as it starts',
    maxMinutes: undefined,
    capAdd: [],
  },
]);

export const API_TOKEN = 'ci-token-0123456789abcdef';
export const OPS_TOKEN = 'ops-token-0123456789abcdef';

export interface WebFixtureOptions {
  readonly policy?: Partial<LeasePolicy>;
  /** Wraps the real Docker runtime the server reads logs from (to count streams). */
  readonly wrapRuntime?: (runtime: ContainerRuntime) => ContainerRuntime;
  readonly logStreams?: WebServerOptions['logStreams'];
  readonly staticDir?: string;
  readonly readiness?: ReadinessChecks;
  readonly mount?: WebServerOptions['mount'];
  /** PUBLIC_URL as the server sees it (links still point at the real address). */
  readonly publicUrl?: string;
}

export interface WebFixture {
  readonly web: WebServer;
  readonly leases: LeaseService;
  readonly audit: RedisAuditTrail;
  readonly tokens: LinkTokens;
  readonly links: SignedLinks;
  readonly store: RedisLeaseStore;
  readonly finalLogs: RedisFinalLogs;
  readonly metrics: PrometheusMetrics;
  readonly redis: Redis;
  readonly instanceId: string;
  /** Closes the server and removes every container and key the test made. */
  close(): Promise<void>;
}

/**
 * The web server over real Redis and a real Docker engine, each test with its own key prefix and
 * instance id. API tokens: `ci` (API_TOKEN) and `ops` (OPS_TOKEN, an admin); `local:admin` is an admin too.
 */
export async function startWebFixture(options: WebFixtureOptions = {}): Promise<WebFixture> {
  const prefix = uniquePrefix();
  const instanceId = uniqueInstance();
  const adapters = openTestAdapters(prefix);
  const { redis, docker, store, finalLogs, runtime: dockerRuntime } = adapters;
  const runtime = options.wrapRuntime?.(dockerRuntime) ?? dockerRuntime;
  const tokens = new LinkTokens(TEST_LINK_SECRET, () => Date.now());
  const metrics = new PrometheusMetrics({ processMetrics: false });
  let links: SignedLinks | undefined;
  // The links need the server's URL, which exists only once it listens.
  const issuer: LinkIssuer = { logsUrl: (lease) => (links ? links.logsUrl(lease) : '') };
  const leases = createLeaseService(
    {
      ...TEST_SETTINGS,
      lease: { ...TEST_POLICY, ...options.policy },
      admins: ['local:admin', 'api:ops'],
    },
    {
      store,
      runtime: dockerRuntime,
      finalLogs,
      clock: systemClock,
      catalog: WEB_CATALOG,
      links: issuer,
      logger: silentLogger,
      metrics,
      instanceId,
    },
  );
  const admin = createAdminService(TEST_SETTINGS, { leases, audit: adapters.audit, clock: systemClock });
  const web = await startWebServer({
    port: 0,
    host: '127.0.0.1',
    leases,
    admin,
    linkTokens: tokens,
    apiTokens: new Map([
      ['ci', API_TOKEN],
      ['ops', OPS_TOKEN],
    ]),
    runtime,
    finalLogs,
    metrics,
    readiness: options.readiness ?? adapters.readiness,
    gauges: {
      activeLeases: async () => (await store.listAll()).length,
      notificationsPending: async () => 0,
    },
    logger: silentLogger,
    staticDir: options.staticDir,
    logStreams: options.logStreams,
    mount: options.mount,
    publicUrl: options.publicUrl,
    shutdownGraceMs: 1_000,
  });
  links = new SignedLinks(tokens, web.url, () => Date.now());
  return {
    web,
    leases,
    audit: adapters.audit,
    tokens,
    links,
    store,
    finalLogs,
    metrics,
    redis,
    instanceId,
    async close() {
      await web.close();
      await removeInstanceContainers(docker, instanceId);
      await flushPrefix(redis, prefix);
      await adapters.close();
    },
  };
}
