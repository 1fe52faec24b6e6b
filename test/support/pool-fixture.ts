import { createPoolKeeper } from '../../src/composition/pool.js';
import type { Clock } from '../../src/core/ports/clock.js';
import type { ContainerRuntime } from '../../src/core/ports/container-runtime.js';
import { type Logger, silentLogger } from '../../src/core/ports/logger.js';
import type { PoolMetrics } from '../../src/core/ports/metrics.js';
import { makeLeaseService, TEST_CATALOG, TEST_SETTINGS } from './lease-service-fixture.js';
import { flushPrefix, openTestAdapters, uniqueInstance, uniquePrefix } from './services.js';

export interface PoolFixtureOptions {
  readonly runtime?: ContainerRuntime;
  /** Wraps the test engine's runtime (when `runtime` is not given), e.g. to watch its calls. */
  readonly wrapRuntime?: (runtime: ContainerRuntime) => ContainerRuntime;
  readonly clock: Clock;
  readonly sizes?: ReadonlyMap<string, number>;
  readonly maxIdleMs?: number;
  readonly maxPerUser?: number;
  readonly metrics?: PoolMetrics;
  readonly logger?: Logger;
}

/**
 * A warm pool of the test catalog's `busybox` on the test Redis (its own prefix and instance), kept
 * by a PoolKeeper built as the product builds it, and a lease service that claims from it.
 */
export function makePoolFixture(options: PoolFixtureOptions) {
  const prefix = uniquePrefix();
  const instanceId = uniqueInstance();
  const adapters = openTestAdapters(prefix);
  const runtime = options.runtime ?? (options.wrapRuntime ?? ((real) => real))(adapters.runtime);
  const keeper = (sizes: ReadonlyMap<string, number> = options.sizes ?? new Map([['busybox', 2]])) =>
    createPoolKeeper(
      {
        ...TEST_SETTINGS,
        pool: { sizes, maxIdleMs: options.maxIdleMs ?? 60 * 60_000 },
      },
      TEST_CATALOG,
      {
        pool: adapters.pool,
        runtime,
        lock: adapters.lock,
        clock: options.clock,
        logger: options.logger ?? silentLogger,
        metrics: options.metrics,
        instanceId,
      },
    );
  const pool = keeper();
  const leases = makeLeaseService({
    store: adapters.store,
    runtime,
    clock: options.clock,
    instanceId,
    pool,
    policy: { maxPerUser: options.maxPerUser ?? 100 },
  });
  const close = async () => {
    await pool.stop();
    await flushPrefix(adapters.redis, prefix);
    await adapters.close();
  };
  return { prefix, instanceId, adapters, runtime, pool, keeper, leases, close };
}
