import { createLeaseService, type ServiceSettings } from '../../src/composition/services.js';
import type { LeasePolicy } from '../../src/core/config/config.js';
import { ImageCatalog } from '../../src/core/config/image-catalog.js';
import { LinkTokens } from '../../src/core/links/link-tokens.js';
import { SignedLinks } from '../../src/core/links/signed-links.js';
import type { Clock } from '../../src/core/ports/clock.js';
import type { ContainerRuntime } from '../../src/core/ports/container-runtime.js';
import type { FinalLogs } from '../../src/core/ports/final-logs.js';
import type { LeaseStore } from '../../src/core/ports/lease-store.js';
import { type Logger, silentLogger } from '../../src/core/ports/logger.js';
import type { Metrics } from '../../src/core/ports/metrics.js';
import type { LeaseService } from '../../src/core/services/lease-service.js';
import type { WarmPool } from '../../src/core/services/warm-pool.js';
import { InMemoryFinalLogs } from '../doubles/in-memory-final-logs.js';
import { TEST_IMAGE } from './services.js';

export const TEST_POLICY: LeasePolicy = {
  defaultMinutes: 60,
  maxMinutes: 480,
  maxPerUser: 3,
  maxActive: 50,
  warnMinutes: 10,
  maxTotalMinutes: 1440,
  provisionTimeoutMs: 600_000,
  teamQuotas: new Map(),
};

/** A catalog of the local test image, which keeps printing numbered lines. */
export const TEST_CATALOG = new ImageCatalog([
  {
    name: 'busybox',
    image: TEST_IMAGE,
    cmd: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo "line $i"; sleep 1; done'],
    description: 'BusyBox (test image)',
    maxMinutes: undefined,
    capAdd: [],
  },
  {
    name: 'missing',
    image: 'local/does-not-exist:1',
    cmd: ['sh'],
    description: 'never pulls',
    maxMinutes: 30,
    capAdd: [],
  },
]);

/** The settings the test services run with: small containers, quick stops, `local:admin` an admin. */
export const TEST_SETTINGS: ServiceSettings = {
  lease: TEST_POLICY,
  cleanup: { intervalMs: 60_000, visibilityTimeoutMs: 60_000, concurrency: 4 },
  container: { memoryBytes: 64 * 1024 ** 2, nanoCpus: 5e8, pidsLimit: 64, stopTimeoutSeconds: 2 },
  admins: ['local:admin'],
};

export const TEST_LINK_SECRET = 'test-link-secret-0123456789abcdef';

export interface FixtureOptions {
  readonly store: LeaseStore;
  readonly runtime: ContainerRuntime;
  readonly clock: Clock;
  readonly instanceId: string;
  readonly policy?: Partial<LeasePolicy>;
  /** Container limits other than the small test ones. */
  readonly container?: Partial<ServiceSettings['container']>;
  readonly admins?: readonly string[];
  readonly logger?: Logger;
  readonly catalog?: ImageCatalog;
  readonly finalLogs?: FinalLogs;
  readonly pool?: WarmPool;
  readonly metrics?: Metrics;
}

export function makeLeaseService(options: FixtureOptions): LeaseService {
  const now = () => options.clock.now();
  const settings = {
    ...TEST_SETTINGS,
    lease: { ...TEST_POLICY, ...options.policy },
    container: { ...TEST_SETTINGS.container, ...options.container },
    admins: options.admins ?? TEST_SETTINGS.admins,
  };
  return createLeaseService(settings, {
    store: options.store,
    runtime: options.runtime,
    finalLogs: options.finalLogs ?? new InMemoryFinalLogs(),
    clock: options.clock,
    catalog: options.catalog ?? TEST_CATALOG,
    links: new SignedLinks(new LinkTokens(TEST_LINK_SECRET, now), 'http://lease.test', now, {
      url: 'http://ports.test',
    }),
    logger: options.logger ?? silentLogger,
    instanceId: options.instanceId,
    pool: options.pool,
    metrics: options.metrics,
  });
}

export const alice = { platform: 'local', user: 'alice' } as const;
