import { parentPort, threadId, workerData } from 'node:worker_threads';
import { connectDocker } from '../core/adapters/docker/docker-connection.js';
import { DockerRuntime } from '../core/adapters/docker/docker-runtime.js';
import { RedisKeys } from '../core/adapters/redis/keys.js';
import { connectRedis } from '../core/adapters/redis/redis-connection.js';
import { RedisFinalLogs } from '../core/adapters/redis/redis-final-logs.js';
import { RedisLeaseStore } from '../core/adapters/redis/redis-lease-store.js';
import { RedisLock } from '../core/adapters/redis/redis-lock.js';
import { loadConfig } from '../core/config/config.js';
import { systemClock } from '../core/ports/clock.js';
import type { Logger } from '../core/ports/logger.js';
import { LifecycleService } from '../core/services/lifecycle-service.js';
import type { CleanupJobData, WorkerMessage } from './worker-messages.js';

/**
 * One cleanup run in a Bree worker thread. It builds its own connections from the configuration
 * (nothing uncloneable crosses into a worker), takes the run lock so one instance of several
 * runs at a time, and reports through messages, which survive the worker's exit.
 */
const post = (message: WorkerMessage) => parentPort?.postMessage(message);
const logAt =
  (level: 'debug' | 'info' | 'warn' | 'error') =>
  (fields: object, message?: string): void =>
    post({ type: 'log', level, fields, message });
const logger: Logger = {
  debug: logAt('debug'),
  info: logAt('info'),
  warn: logAt('warn'),
  error: logAt('error'),
};

const data = workerData as CleanupJobData;
const abort = new AbortController();
const onCancel = (message: unknown) => {
  if (message === 'cancel') abort.abort();
};
parentPort?.on('message', onCancel);

const config = loadConfig(process.env);
const redis = connectRedis(data.redisUrl, (error) =>
  logger.warn({ error: error.message }, 'redis connection problem'),
);
const keys = new RedisKeys(config.redis.prefix);
const { docker, where } = connectDocker(config.docker.host);
const lock = new RedisLock(redis, keys);
const lifecycle = new LifecycleService({
  store: new RedisLeaseStore(redis, keys, { warnBeforeMs: config.lease.warnMinutes * 60_000 }),
  runtime: new DockerRuntime(docker, where),
  finalLogs: new RedisFinalLogs(redis, keys),
  clock: systemClock,
  logger,
  metrics: { provisioned() {}, cleaned: (seconds, outcome) => post({ type: 'cleaned', seconds, outcome }) },
  instanceId: data.instanceId,
  visibilityTimeoutMs: config.cleanup.visibilityTimeoutMs,
  concurrency: config.cleanup.concurrency,
  stopTimeoutSeconds: config.container.stopTimeoutSeconds,
});

try {
  const token = await lock.acquire('cleanup', data.lockTtlMs);
  // Timed from the moment the lock is held, so runs of several instances can be seen not to overlap.
  const startedAt = Date.now();
  if (token === null) {
    post({ type: 'run', ran: false, startedAt, endedAt: startedAt, threadId });
  } else {
    try {
      const summary = await lifecycle.runCleanup(startedAt, abort.signal);
      post({ type: 'run', ran: true, startedAt, endedAt: Date.now(), threadId, summary });
    } finally {
      await lock.release('cleanup', token);
    }
  }
} catch (error) {
  logger.error(
    { action: 'cleanup-run', error: (error as Error).message },
    'cleanup run failed; the next one retries',
  );
} finally {
  await redis.quit().catch(() => redis.disconnect());
  // 'done' in every case: Bree terminates the worker on it, also while stopping (a listener on
  // parentPort would otherwise keep the thread alive).
  parentPort?.off('message', onCancel);
  parentPort?.postMessage('done');
}
