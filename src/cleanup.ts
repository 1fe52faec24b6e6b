import { cleanupLockTtlMs, openCleanupJob } from './composition/cleanup.js';
import { exitOnFatal } from './composition/fatal.js';
import { createLogger } from './composition/logging.js';
import { redisServer } from './composition/redis-server.js';
import { loadConfig } from './core/config/config.js';
import { resolveInstanceId } from './core/config/data-dir.js';
import { describePass, runCleanupPass } from './jobs/cleanup-pass.js';

/**
 * `npm run cleanup`: one cleanup pass, then exit. For an operator's cron job or systemd timer when
 * the product is not running (while it runs, its own job does this every CLEANUP_INTERVAL; the run
 * lock keeps the two from overlapping). One line on standard output says what the pass did; logs
 * go to standard error. Exit code 0: the pass ran and removed every due lease (or another instance
 * was running one); 1: it failed, or some leases could not be removed; 2: bad configuration.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  const { logger } = createLogger(config, { terminal: process.stdout.isTTY === true, fd: 2 });
  const instanceId = resolveInstanceId(config.instanceId, config.dataDir);
  const server = await redisServer(config, logger);
  const abort = new AbortController();
  // Stopped by its timer or Ctrl-C: finish the leases being removed and give the rest back.
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());
  const job = openCleanupJob(config, { redisUrl: server.url, instanceId, logger });
  try {
    const outcome = await runCleanupPass(job.lifecycle, job.lock, cleanupLockTtlMs(config), abort.signal);
    process.stdout.write(`${describePass(outcome)}\n`);
    return outcome.ran && outcome.summary.failed > 0 ? 1 : 0;
  } finally {
    await job.close();
    await server.stop();
  }
}

main().then((code) => process.exit(code), exitOnFatal('containerlease cleanup'));
