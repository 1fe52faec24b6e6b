import type { Lock } from '../core/ports/lock.js';
import type { CleanupSummary, LifecycleService } from '../core/services/lifecycle-service.js';

/** How one pass went: run, or skipped because another instance held the run lock. */
export type PassOutcome =
  | { readonly ran: false; readonly startedAt: number; readonly endedAt: number }
  | {
      readonly ran: true;
      readonly startedAt: number;
      readonly endedAt: number;
      readonly summary: CleanupSummary;
    };

const LOCK_NAME = 'cleanup';

/**
 * One cleanup pass under the run lock, as the scheduled job and `npm run cleanup` both run it.
 * The lock lives `lockTtlMs` at most, so a pass that dies frees it; when `signal` aborts, the pass
 * finishes the leases it is removing and gives the rest back.
 */
export async function runCleanupPass(
  lifecycle: LifecycleService,
  lock: Lock,
  lockTtlMs: number,
  signal?: AbortSignal,
): Promise<PassOutcome> {
  const token = await lock.acquire(LOCK_NAME, lockTtlMs);
  // Timed from the moment the lock is held, so passes of several instances can be seen not to overlap.
  const startedAt = Date.now();
  if (token === null) return { ran: false, startedAt, endedAt: startedAt };
  try {
    const summary = await lifecycle.runCleanup(startedAt, signal);
    return { ran: true, startedAt, endedAt: Date.now(), summary };
  } finally {
    await lock.release(LOCK_NAME, token);
  }
}

/** A pass in one line, for an operator's terminal or a cron mail. */
export function describePass(outcome: PassOutcome): string {
  if (!outcome.ran)
    return 'cleanup: another instance holds the run lock and is cleaning up now; nothing done';
  const { removed, failed, released, skipped, warned, overDisk, reconciled } = outcome.summary;
  return (
    `cleanup: ${removed} removed, ${failed} failed, ${released} released (extended), ${skipped} skipped, ` +
    `${warned} warned, ${overDisk} stopped over the disk limit; reconciled: ${reconciled.adopted} adopted, ${reconciled.orphansRemoved} orphans removed, ` +
    `${reconciled.leasesClosed} leases closed (${outcome.endedAt - outcome.startedAt} ms)`
  );
}
