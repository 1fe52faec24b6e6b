import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import Bree from 'bree';
import { MINUTE_MS } from '../core/domain/lease.js';
import type { Logger } from '../core/ports/logger.js';
import type { Metrics } from '../core/ports/metrics.js';
import { type CleanupJobData, isWorkerMessage, type WorkerMessage } from './worker-messages.js';

export interface CleanupSchedulerOptions extends CleanupJobData {
  readonly intervalMs: number;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Called with every run, whether it took the lock or found another instance running. */
  readonly onRun?: (run: Extract<WorkerMessage, { type: 'run' }>) => void;
  /** The worker's environment, from which it reads the configuration. @defaultValue process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** How long stop() waits for a running pass before terminating its worker. @defaultValue 10000 */
  readonly stopTimeoutMs?: number;
}

export interface CleanupScheduler {
  stop(): Promise<void>;
}

/** A hung run is terminated after this; its claims become due again after the visibility timeout. */
const MAX_RUN_MS = 15 * MINUTE_MS;

/** The compiled worker next to this file, or (under tsx in development) a shim that loads the TypeScript one. */
function workerPath(): string {
  const here = import.meta.url;
  const file = here.endsWith('.ts') ? './cleanup-worker-dev.mjs' : './cleanup-worker.js';
  return fileURLToPath(new URL(file, here));
}

/**
 * Runs the cleanup in a Bree worker thread at once and then every `intervalMs`. Bree never starts
 * a run while the last one is alive; the Redis lock in the worker keeps instances from overlapping.
 */
export async function startCleanupScheduler(options: CleanupSchedulerOptions): Promise<CleanupScheduler> {
  const { logger, metrics } = options;
  let stopping = false;
  const workerData: CleanupJobData = {
    redisUrl: options.redisUrl,
    instanceId: options.instanceId,
    lockTtlMs: options.lockTtlMs,
  };
  const bree = new Bree({
    root: false,
    logger: false,
    closeWorkerAfterMs: MAX_RUN_MS,
    jobs: [
      {
        name: 'cleanup',
        path: workerPath(),
        // The first run at start, not one interval later: a restart after a weekend reaps at once.
        timeout: 0,
        interval: options.intervalMs,
        worker: { workerData, env: options.env ?? process.env },
      },
    ],
    workerMessageHandler: ({ message }) => {
      if (!isWorkerMessage(message)) return;
      if (message.type === 'log') logger[message.level](message.fields, message.message);
      else if (message.type === 'cleaned') metrics.cleaned(message.seconds, message.outcome);
      else options.onRun?.(message);
    },
    errorHandler: (error, data) => {
      if (!stopping)
        logger.error(
          { job: data.name, error: String((error as Error)?.message ?? error) },
          'cleanup worker failed',
        );
    },
  });
  await bree.start();
  logger.info({ intervalMs: options.intervalMs }, 'cleanup job scheduled');
  return {
    async stop() {
      stopping = true;
      const stopped = bree.stop().then(() => true);
      if (!(await Promise.race([stopped, sleep(options.stopTimeoutMs ?? 10_000).then(() => false)]))) {
        logger.warn({}, 'cleanup run did not stop in time; terminating its worker');
        await Promise.all([...bree.workers.values()].map((worker) => worker.terminate()));
        await stopped;
      }
    },
  };
}
