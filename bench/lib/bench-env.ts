import pino from 'pino';
import { openAdapters } from '../../src/composition/adapters.js';
import type { PoolParts } from '../../src/composition/pool.js';
import {
  createAdminService,
  createContainerSessions,
  createLeaseService,
  createLifecycleService,
  type ServiceSettings,
} from '../../src/composition/services.js';
import {
  isolationHostConfig,
  type LeaseIsolation,
  NO_NETWORK,
} from '../../src/core/adapters/docker/lease-isolation.js';
import type { RedisLeaseStore } from '../../src/core/adapters/redis/redis-lease-store.js';
import { ImageCatalog } from '../../src/core/config/image-catalog.js';
import { LinkTokens } from '../../src/core/links/link-tokens.js';
import { SignedLinks } from '../../src/core/links/signed-links.js';
import type { Clock } from '../../src/core/ports/clock.js';
import type { ContainerRuntime } from '../../src/core/ports/container-runtime.js';
import type { Logger } from '../../src/core/ports/logger.js';
import type { Metrics } from '../../src/core/ports/metrics.js';
import type { PoolKeeper } from '../../src/core/services/pool-keeper.js';
import type { WarmPool } from '../../src/core/services/warm-pool.js';
import { BASELINE_LABEL, type BenchScope, closeScope, openScope, REDIS_URL } from './janitor.js';

export const BENCH_IMAGE = process.env.TEST_IMAGE ?? 'local/busybox:latest';
export const LIMITS = { memoryBytes: 64 * 1024 ** 2, nanoCpus: 5e8, pidsLimit: 64 };
export const KEEP_ALIVE = ['sleep', 'infinity'];
/**
 * Leases and baselines join the engine's own bridge (it always exists): a network costs a create and
 * a start something (a veth pair, an address), so both sides pay it or neither is measured fairly.
 */
export const BENCH_ISOLATION: LeaseIsolation = { ...NO_NETWORK, network: 'bridge' };

/**
 * The same hardening and isolation ContainerLease applies, so a baseline differs from us only by our own code.
 * Labelled with the scope, so the scope's cleanup finds it.
 */
export function bareCreateOptions(name: string, scope: BenchScope) {
  return {
    name,
    Image: BENCH_IMAGE,
    Cmd: KEEP_ALIVE,
    HostConfig: {
      Memory: LIMITS.memoryBytes,
      MemorySwap: LIMITS.memoryBytes,
      NanoCpus: LIMITS.nanoCpus,
      PidsLimit: LIMITS.pidsLimit,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges:true'],
      Init: true,
      ...isolationHostConfig(BENCH_ISOLATION, false),
    },
    Labels: { [BASELINE_LABEL]: scope.instanceId },
  };
}

export interface BenchEnvOptions {
  readonly maxPerUser?: number;
  /** Another engine than Docker (the Slack benchmark's slow fake). @defaultValue the real Docker engine */
  readonly runtime?: ContainerRuntime;
  readonly metrics?: Metrics;
  /** A scope opened by a parent process, which cleans it up. @defaultValue a new scope of this process */
  readonly scope?: BenchScope;
  /** Image type names, each the bench image. @defaultValue ['busybox'] */
  readonly catalog?: readonly string[];
  /** The warm pools the lease service claims from. @defaultValue none */
  readonly pool?: (
    parts: PoolParts & { catalog: ImageCatalog; container: typeof LIMITS & { stopTimeoutSeconds: number } },
  ) => PoolKeeper;
}

/**
 * A scope (Redis prefix, instance id) and the core services on real Redis and Docker, as src/app.ts
 * composes them, with logs at `info` serialized as the product does and thrown away.
 */
export function benchEnv(clock: Clock, options: BenchEnvOptions = {}) {
  const scope = options.scope ?? openScope();
  const { prefix, instanceId } = scope;
  const adapters = openAdapters({
    redisUrl: REDIS_URL,
    redisPrefix: prefix,
    dockerHost: process.env.TEST_DOCKER_HOST,
    warnBeforeMs: 0,
    isolation: BENCH_ISOLATION,
  });
  const { redis, keys, docker, store, finalLogs } = adapters;
  const runtime = options.runtime ?? adapters.runtime;
  const now = () => clock.now();
  const logger = benchLogger();
  const linkTokens = new LinkTokens('bench-secret-0123456789abcdef0123', now);
  const links = new SignedLinks(linkTokens, 'http://bench', now, { url: 'http://bench-ports' });
  const settings: ServiceSettings = {
    lease: {
      defaultMinutes: 60,
      maxMinutes: 480,
      maxPerUser: options.maxPerUser ?? 10_000,
      maxActive: options.maxPerUser ?? 10_000,
      warnMinutes: 0,
      maxTotalMinutes: 1440,
      provisionTimeoutMs: 600_000,
      teamQuotas: new Map(),
    },
    cleanup: { intervalMs: 60_000, visibilityTimeoutMs: 120_000, concurrency: 4 },
    container: { ...LIMITS, stopTimeoutSeconds: 10 },
    admins: [],
  };
  const catalog = new ImageCatalog(
    (options.catalog ?? ['busybox']).map((name) => ({
      name,
      image: BENCH_IMAGE,
      cmd: KEEP_ALIVE,
      description: 'bench',
      maxMinutes: undefined,
      capAdd: [],
    })),
  );
  const pool = options.pool?.({
    pool: adapters.pool,
    runtime,
    lock: adapters.lock,
    clock,
    logger,
    instanceId,
    catalog,
    container: settings.container,
  });
  const leaseService = (parts: { pool?: WarmPool } = {}) =>
    createLeaseService(settings, {
      store,
      runtime,
      finalLogs,
      clock,
      catalog,
      links,
      logger,
      metrics: options.metrics,
      instanceId,
      ...parts,
    });
  const leases = leaseService({ pool });
  const { terminals, exec } = createContainerSessions(
    { terminal: { maxPerLease: 100, idleMinutes: 30 } },
    {
      leases,
      exec: adapters.exec,
      slots: adapters.slots,
      tickets: adapters.tickets,
      audit: adapters.audit,
      clock,
      logger,
    },
  );
  const admin = createAdminService(settings, { leases, audit: adapters.audit, clock });
  /** `instrumented` replaces the store or runtime with timed wrappers of the same objects. */
  const lifecycle = (
    concurrency: number,
    instrumented: { runtime?: ContainerRuntime; store?: RedisLeaseStore } = {},
  ) =>
    createLifecycleService(
      { ...settings, cleanup: { ...settings.cleanup, concurrency } },
      {
        store: instrumented.store ?? store,
        runtime: instrumented.runtime ?? runtime,
        finalLogs,
        clock,
        logger,
        instanceId,
      },
    );
  const cleanup = async () => {
    await closeScope(scope);
    await adapters.close();
  };
  return {
    scope,
    adapters,
    pool,
    leaseService,
    redis,
    keys,
    prefix,
    instanceId,
    docker,
    runtime,
    store,
    finalLogs,
    leases,
    terminals,
    exec,
    admin,
    linkTokens,
    links,
    logger,
    lifecycle,
    cleanup,
  };
}

export type BenchEnv = ReturnType<typeof benchEnv>;

/** pino at `info`, as `npm start` runs, writing to /dev/null: the cost of logging without the noise. */
export function benchLogger(): Logger {
  return pino(
    { level: 'info', base: { app: 'containerlease' } },
    pino.destination({ dest: '/dev/null', sync: false }),
  );
}
