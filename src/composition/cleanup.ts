import type { Config } from '../core/config/config.js';
import { systemClock } from '../core/ports/clock.js';
import type { Lock } from '../core/ports/lock.js';
import type { Logger } from '../core/ports/logger.js';
import type { Metrics } from '../core/ports/metrics.js';
import type { LifecycleService } from '../core/services/lifecycle-service.js';
import { adapterSettings, openAdapters } from './adapters.js';
import { createLifecycleService } from './services.js';

/** The cleanup job's pieces in a process or thread of its own: the cleanup worker and `npm run cleanup`. */
export interface CleanupJob {
  readonly lifecycle: LifecycleService;
  readonly lock: Lock;
  close(): Promise<void>;
}

export function openCleanupJob(
  config: Config,
  options: {
    readonly redisUrl: string;
    readonly instanceId: string;
    readonly logger: Logger;
    readonly metrics?: Metrics;
  },
): CleanupJob {
  const { logger } = options;
  const adapters = openAdapters({
    ...adapterSettings(config, options.redisUrl),
    onRedisError: (error) => logger.warn({ error: error.message }, 'redis connection problem'),
  });
  const lifecycle = createLifecycleService(config, {
    ...adapters,
    clock: systemClock,
    logger,
    metrics: options.metrics,
    instanceId: options.instanceId,
    disk: { disks: adapters.runtime, limitBytes: config.isolation.diskLimitBytes },
  });
  return { lifecycle, lock: adapters.lock, close: () => adapters.close() };
}

/** How long a run may hold the run lock: a run that dies frees it after this. */
export function cleanupLockTtlMs(config: Config): number {
  return Math.max(config.cleanup.visibilityTimeoutMs, config.cleanup.intervalMs);
}
