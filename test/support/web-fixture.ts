import {
  createAdminService,
  createContainerSessions,
  createLeaseService,
  createPortTargets,
} from '../../src/composition/services.js';
import type { LeaseIsolation } from '../../src/core/adapters/docker/lease-isolation.js';
import type { RedisKeys } from '../../src/core/adapters/redis/keys.js';
import type { RedisAuditTrail } from '../../src/core/adapters/redis/redis-audit-trail.js';
import type { RedisClient } from '../../src/core/adapters/redis/redis-connection.js';
import type { RedisFinalLogs } from '../../src/core/adapters/redis/redis-final-logs.js';
import type { RedisLeaseStore } from '../../src/core/adapters/redis/redis-lease-store.js';
import type { Config, LeasePolicy, TerminalPolicy } from '../../src/core/config/config.js';
import { ImageCatalog } from '../../src/core/config/image-catalog.js';
import { LinkTokens } from '../../src/core/links/link-tokens.js';
import type { PortsAddress } from '../../src/core/links/port-urls.js';
import { SignedLinks } from '../../src/core/links/signed-links.js';
import { systemClock } from '../../src/core/ports/clock.js';
import type { ContainerRuntime } from '../../src/core/ports/container-runtime.js';
import { type Logger, silentLogger } from '../../src/core/ports/logger.js';
import type { LeaseService } from '../../src/core/services/lease-service.js';
import { Authenticator } from '../../src/web/auth/authenticator.js';
import { PrometheusMetrics } from '../../src/web/metrics.js';
import { type PortsServer, startPortsServer } from '../../src/web/ports/ports-server.js';
import type { ReadinessChecks } from '../../src/web/readiness.js';
import { startWebServer, type WebServer, type WebServerOptions } from '../../src/web/web-server.js';
import { TEST_CATALOG, TEST_LINK_SECRET, TEST_POLICY, TEST_SETTINGS } from './lease-service-fixture.js';
import {
  flushPrefix,
  openTestAdapters,
  removeInstanceContainers,
  TEST_IMAGE,
  TEST_WEB_IMAGE,
  uniqueInstance,
  uniquePrefix,
} from './services.js';
import { call } from './web-client.js';

/** What `flood` writes, all on one line: less than one log file (10 MiB), so Docker's rotation plays no part. */
export const FLOOD_BYTES = 8 * 1024 ** 2;
const FLOOD = `head -c ${FLOOD_BYTES} /dev/zero | tr "\\0" x`;
/** What `spill` writes on one line as it starts: a few cut lines, few enough for a browser to draw at once. */
export const SPILL_BYTES = 40_000;

/**
 * A leased web app: busybox httpd on port 8000 serving "hello from the lease", `/sub/`, a CGI
 * `/cgi-bin/env` that prints the request's headers and sets two cookies (one named like ours),
 * and `/cgi-bin/away` that redirects to its own absolute address; and websocketd on 9000 echoing
 * each line.
 */
const WEB_APP = String.raw`mkdir -p /www/sub /www/cgi-bin
echo "hello from the lease" > /www/index.html
echo "the sub page" > /www/sub/index.html
printf '%s\n' '#!/bin/sh' 'printf "Content-Type: text/plain\r\nSet-Cookie: app=1; Path=/; Domain=example.com\r\nSet-Cookie: cl_session=planted; Path=/\r\n\r\n"' env > /www/cgi-bin/env
printf '%s\n' '#!/bin/sh' 'printf "Status: 302 Found\r\nLocation: http://%s/sub/\r\n\r\n" "$HTTP_HOST"' > /www/cgi-bin/away
chmod +x /www/cgi-bin/env /www/cgi-bin/away
httpd -p 8000 -h /www
exec websocketd --port=9000 cat`;

/**
 * The test catalog (`busybox` prints "line N" once a second, `missing` never starts), with
 * `webapp` (above),
 * `graceful`, which also says "final words" on stderr when stopped, `chatty`, which prints as
 * fast as it can, and `flood`, which says "ready" and, when sent SIGUSR1, writes 8 MiB without a
 * newline, then "flood done", `quiet`, which prints nothing, and `spill`, which writes 40 000 bytes
 * without a newline as it starts.
 */
export const WEB_CATALOG = new ImageCatalog([
  ...TEST_CATALOG.list(),
  {
    name: 'webapp',
    image: TEST_WEB_IMAGE,
    cmd: ['sh', '-c', WEB_APP],
    description: 'busybox httpd on 8000 and a WebSocket echo on 9000',
    maxMinutes: undefined,
    capAdd: [],
  },
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
    name: 'quiet',
    image: TEST_IMAGE,
    cmd: ['sleep', 'infinity'],
    description: 'BusyBox that prints nothing, as the built-in images do',
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
  readonly terminal?: Partial<TerminalPolicy>;
  readonly terminalSockets?: WebServerOptions['terminalSockets'];
  /** Receives what the server and the services log. @defaultValue silence */
  readonly logger?: Logger;
  /** PUBLIC_URL as the server sees it (links still point at the real address). */
  readonly publicUrl?: string;
  /** PORTS_DOMAIN for the port proxy. */
  readonly portsDomain?: string;
  /** Where the server listens. @defaultValue 127.0.0.1 */
  readonly host?: string;
  readonly refuseConnectionsTo?: readonly string[];
  /** What keeps leases apart (the runtime, say). @defaultValue this run's lease network */
  readonly isolation?: LeaseIsolation;
  /** Limits of each lease's container, over the test settings' (pids 64…). */
  readonly container?: Partial<Config['container']>;
}

export interface WebFixture {
  readonly web: WebServer;
  /** The port proxy, on its own port of the same address. */
  readonly ports: PortsServer;
  readonly leases: LeaseService;
  readonly audit: RedisAuditTrail;
  readonly tokens: LinkTokens;
  readonly links: SignedLinks;
  readonly store: RedisLeaseStore;
  /** The key names under this test's prefix. */
  readonly keys: RedisKeys;
  readonly finalLogs: RedisFinalLogs;
  readonly metrics: PrometheusMetrics;
  readonly redis: RedisClient;
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
  const adapters = openTestAdapters(prefix, { isolation: options.isolation });
  const { redis, docker, store, finalLogs, runtime: dockerRuntime } = adapters;
  const runtime = options.wrapRuntime?.(dockerRuntime) ?? dockerRuntime;
  const tokens = new LinkTokens(TEST_LINK_SECRET, () => Date.now());
  const metrics = new PrometheusMetrics({ processMetrics: false });
  // The links need the server's URL, which exists only once it listens.
  let baseUrl = '';
  let portsAddress: PortsAddress = { url: '' };
  const links = new SignedLinks(
    tokens,
    () => baseUrl,
    () => Date.now(),
    () => portsAddress,
  );
  const leases = createLeaseService(
    {
      ...TEST_SETTINGS,
      lease: { ...TEST_POLICY, ...options.policy },
      container: { ...TEST_SETTINGS.container, ...options.container },
      admins: ['local:admin', 'api:ops'],
    },
    {
      store,
      runtime: dockerRuntime,
      finalLogs,
      clock: systemClock,
      catalog: WEB_CATALOG,
      links,
      logger: silentLogger,
      metrics,
      instanceId,
    },
  );
  const { terminals, exec } = createContainerSessions(
    { terminal: { maxPerLease: 3, idleMinutes: 30, ...options.terminal } },
    {
      leases,
      exec: adapters.exec,
      slots: adapters.slots,
      tickets: adapters.tickets,
      audit: adapters.audit,
      clock: systemClock,
      logger: options.logger ?? silentLogger,
    },
  );
  const apiTokens = new Map([
    ['ci', API_TOKEN],
    ['ops', OPS_TOKEN],
  ]);
  const admin = createAdminService(TEST_SETTINGS, { leases, audit: adapters.audit, clock: systemClock });
  const web = await startWebServer({
    port: 0,
    host: options.host ?? '127.0.0.1',
    refuseConnectionsTo: options.refuseConnectionsTo,
    leases,
    terminals,
    exec,
    admin,
    linkTokens: tokens,
    apiTokens,
    runtime,
    finalLogs,
    metrics,
    readiness: options.readiness ?? adapters.readiness,
    gauges: {
      activeLeases: async () => (await store.listAll()).length,
      notificationsPending: async () => 0,
    },
    logger: options.logger ?? silentLogger,
    staticDir: options.staticDir,
    logStreams: options.logStreams,
    terminalSockets: options.terminalSockets,
    mount: options.mount,
    publicUrl: options.publicUrl,
    shutdownGraceMs: 1_000,
  });
  baseUrl = web.url;
  const ports = await startPortsServer({
    port: 0,
    host: options.host ?? '127.0.0.1',
    refuseConnectionsTo: options.refuseConnectionsTo,
    domain: options.portsDomain,
    auth: new Authenticator(tokens, apiTokens, (owner) => leases.actor(owner)),
    targets: createPortTargets(
      { admins: ['local:admin', 'api:ops'] },
      { store, runtime: dockerRuntime, now: () => Date.now() },
    ),
    logger: silentLogger,
    shutdownGraceMs: 1_000,
  });
  portsAddress = ports.address();
  return {
    web,
    ports,
    leases,
    audit: adapters.audit,
    tokens,
    links,
    store,
    keys: adapters.keys,
    finalLogs,
    metrics,
    redis,
    instanceId,
    async close() {
      await Promise.all([web.close(), ports.close()]);
      await removeInstanceContainers(docker, instanceId);
      await flushPrefix(redis, prefix);
      await adapters.close();
    },
  };
}

/** A lease as the REST API returns it, as far as the tests read it. */
export interface ApiLease {
  readonly id: string;
  readonly containerId: string;
  readonly terminalUrl: string;
  readonly logsUrl: string;
}

/** Provisions `imageType` for 5 minutes through `POST /api/provision` as `api:ci`. */
export async function provisionOverApi(f: WebFixture, imageType: string): Promise<ApiLease> {
  const reply = await call(f.web.url, 'POST', '/api/provision', {
    token: API_TOKEN,
    body: { imageType, durationMinutes: 5 },
  });
  if (reply.status !== 201)
    throw new Error(`provision ${imageType}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body as ApiLease;
}
