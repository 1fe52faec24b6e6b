import { parentPort, threadId, workerData } from 'node:worker_threads';
import { openCleanupJob } from '../composition/cleanup.js';
import { loadConfig } from '../core/config/config.js';
import type { Logger } from '../core/ports/logger.js';
import { runCleanupPass } from './cleanup-pass.js';
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

const job = openCleanupJob(loadConfig(process.env), {
  redisUrl: data.redisUrl,
  instanceId: data.instanceId,
  logger,
  metrics: { provisioned() {}, cleaned: (seconds, outcome) => post({ type: 'cleaned', seconds, outcome }) },
});

try {
  const outcome = await runCleanupPass(job.lifecycle, job.lock, data.lockTtlMs, abort.signal);
  post({ type: 'run', ...outcome, threadId });
} catch (error) {
  logger.error(
    { action: 'cleanup-run', error: (error as Error).message },
    'cleanup run failed; the next one retries',
  );
} finally {
  await job.close();
  // 'done' in every case: Bree terminates the worker on it, also while stopping (a listener on
  // parentPort would otherwise keep the thread alive).
  parentPort?.off('message', onCancel);
  parentPort?.postMessage('done');
}
