import type { Config } from '../core/config/config.js';
import type { ImageCatalog } from '../core/config/image-catalog.js';
import { ConfigError } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.js';
import type { ContainerRuntime } from '../core/ports/container-runtime.js';
import type { Lock } from '../core/ports/lock.js';
import type { Logger } from '../core/ports/logger.js';
import type { PoolMetrics } from '../core/ports/metrics.js';
import type { PoolStore } from '../core/ports/pool-store.js';
import { PoolKeeper } from '../core/services/pool-keeper.js';

export interface PoolParts {
  readonly pool: PoolStore;
  readonly runtime: ContainerRuntime;
  readonly lock: Lock;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics?: PoolMetrics;
  readonly instanceId: string;
}

/** Refuses a POOL that names an image type the catalog lacks; read before anything starts. */
export function checkPoolTypes(settings: Pick<Config, 'pool'>, catalog: ImageCatalog): void {
  const unknown = [...settings.pool.sizes.keys()].filter((type) => !catalog.get(type));
  if (unknown.length > 0)
    throw new ConfigError(
      `POOL names ${unknown.join(', ')}, not in the image catalog (${catalog
        .list()
        .map((image) => image.name)
        .join(', ')})`,
    );
}

/**
 * The warm pools of POOL (checked by checkPoolTypes). Made also when POOL is empty: the keeper then
 * drains the members a previous POOL left, at the cost of one container listing a pass.
 */
export function createPoolKeeper(
  settings: Pick<Config, 'pool' | 'container'>,
  catalog: ImageCatalog,
  parts: PoolParts,
): PoolKeeper {
  return new PoolKeeper({
    ...parts,
    catalog,
    sizes: settings.pool.sizes,
    maxIdleMs: settings.pool.maxIdleMs,
    limits: settings.container,
    stopTimeoutSeconds: settings.container.stopTimeoutSeconds,
  });
}
