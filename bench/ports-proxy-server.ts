// The server side of ports.bench.ts, in a child process so its CPU is its own: the real port proxy
// (src/web/ports) over Redis and Docker, and one lease running busybox httpd on port 8000. Speaks
// to the parent over IPC: 'ready' with the lease's port link and its container's address.
import { openAdapters } from '../src/composition/adapters.js';
import { createLeaseService, createPortTargets } from '../src/composition/services.js';
import { ImageCatalog } from '../src/core/config/image-catalog.js';
import { LinkTokens } from '../src/core/links/link-tokens.js';
import { SignedLinks } from '../src/core/links/signed-links.js';
import { systemClock } from '../src/core/ports/clock.js';
import { silentLogger } from '../src/core/ports/logger.js';
import { Authenticator } from '../src/web/auth/authenticator.js';
import { startPortsServer } from '../src/web/ports/ports-server.js';
import { BENCH_IMAGE, LIMITS } from './lib/bench-env.js';
import { REDIS_URL } from './lib/janitor.js';

/** A page of about 1 KiB, served by busybox httpd on 8000. */
const HTTPD = `mkdir -p /www && head -c 1024 /dev/zero | tr '\\0' x > /www/index.html && exec httpd -f -p 8000 -h /www`;

const adapters = openAdapters({
  redisUrl: REDIS_URL,
  redisPrefix: process.env.BENCH_PREFIX ?? 'bench:ports:',
  dockerHost: process.env.TEST_DOCKER_HOST,
  warnBeforeMs: 0,
  // The proxy needs the container's address on a network; the engine's own bridge always exists,
  // and which network it is does not change what is measured (the same address both ways).
  isolation: { network: 'bridge', diskLimitBytes: 2048 * 1024 ** 2, runtime: undefined },
});
const { store, runtime, finalLogs } = adapters;
const now = () => Date.now();
const tokens = new LinkTokens('bench-secret-0123456789abcdef0123', now);
let ports: Awaited<ReturnType<typeof startPortsServer>> | undefined;
const links = new SignedLinks(tokens, 'http://bench', now, () => ports?.address() ?? { url: '' });
const settings = {
  lease: {
    defaultMinutes: 30,
    maxMinutes: 60,
    maxPerUser: 5,
    maxActive: 50,
    warnMinutes: 0,
    maxTotalMinutes: 120,
    provisionTimeoutMs: 600_000,
    teamQuotas: new Map(),
  },
  cleanup: { intervalMs: 60_000, visibilityTimeoutMs: 60_000, concurrency: 4 },
  container: { ...LIMITS, nanoCpus: 1e9, stopTimeoutSeconds: 1 },
  admins: [],
};
const leases = createLeaseService(settings, {
  store,
  runtime,
  finalLogs,
  clock: systemClock,
  catalog: new ImageCatalog([
    {
      name: 'httpd',
      image: BENCH_IMAGE,
      cmd: ['sh', '-c', HTTPD],
      description: 'httpd',
      maxMinutes: undefined,
      capAdd: [],
    },
  ]),
  links,
  logger: silentLogger,
  instanceId: process.env.BENCH_INSTANCE ?? 'bench-ports',
});
ports = await startPortsServer({
  port: 0,
  host: '127.0.0.1',
  auth: new Authenticator(tokens, new Map(), (owner) => leases.actor(owner)),
  targets: createPortTargets(settings, { store, runtime, now }),
  logger: silentLogger,
});
const actor = leases.actor('local:bench');
const lease = await leases.provision(actor, {
  imageType: 'httpd',
  notify: { platform: 'local', user: 'bench' },
});
const link = await leases.portLink(actor, lease.id, 8000);
const address = (await runtime.inspect(lease.containerId))?.address ?? '';

process.on('message', async () => {
  await leases.stop(actor, lease.id).catch(() => {});
  await ports?.close();
  await adapters.close();
  process.exit(0);
});
process.send?.({ type: 'ready', link: link.url, direct: `http://${address}:8000` });
// The parent is gone (interrupted): it removes what this process created, by the scope it gave.
process.on('disconnect', () => process.exit(1));
