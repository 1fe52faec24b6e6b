import { parentPort, threadId, workerData } from 'node:worker_threads';
import { adapterSettings, openAdapters } from '../composition/adapters.js';
import { createLifecycleService } from '../composition/services.js';
import { loadConfig } from '../core/config/config.js';
import { systemClock } from '../core/ports/clock.js';
import type { Logger } from '../core/ports/logger.js';
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
const adapters = openAdapters({
  ...adapterSettings(config, data.redisUrl),
  onRedisError: (error) => logger.warn({ error: error.message }, 'redis connection problem'),
});
const lifecycle = createLifecycleService(config, {
  ...adapters,
  clock: systemClock,
  logger,
  metrics: { provisioned() {}, cleaned: (seconds, outcome) => post({ type: 'cleaned', seconds, outcome }) },
  instanceId: data.instanceId,
});

try {
  const token = await adapters.lock.acquire('cleanup', data.lockTtlMs);
  // Timed from the moment the lock is held, so runs of several instances can be seen not to overlap.
  const startedAt = Date.now();
  if (token === null) {
    post({ type: 'run', ran: false, startedAt, endedAt: startedAt, threadId });
  } else {
    try {
      const summary = await lifecycle.runCleanup(startedAt, abort.signal);
      post({ type: 'run', ran: true, startedAt, endedAt: Date.now(), threadId, summary });
    } finally {
      await adapters.lock.release('cleanup', token);
    }
  }
} catch (error) {
  logger.error(
    { action: 'cleanup-run', error: (error as Error).message },
    'cleanup run failed; the next one retries',
  );
} finally {
  await adapters.close();
  // 'done' in every case: Bree terminates the worker on it, also while stopping (a listener on
  // parentPort would otherwise keep the thread alive).
  parentPort?.off('message', onCancel);
  parentPort?.postMessage('done');
}
