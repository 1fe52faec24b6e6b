import { SYSTEM_ACTOR } from '../domain/audit.js';
import type { Lease } from '../domain/lease.js';
import { asCodedError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { ContainerRuntime } from '../ports/container-runtime.js';
import type { FinalLogs } from '../ports/final-logs.js';
import type { Claim, LeaseStore } from '../ports/lease-store.js';
import type { Logger } from '../ports/logger.js';
import { type Metrics, noMetrics } from '../ports/metrics.js';
import { mapWithConcurrency } from './concurrency.js';
import { removeLeaseContainers } from './container-removal.js';
import { type DiskLimit, stopLeasesOverDisk } from './disk-watch.js';
import { endOfCleaning } from './lease-end.js';
import { Reconciler, type ReconcileSummary } from './reconciler.js';
import { retireLease } from './retire-lease.js';
import { type RetryOptions, retry } from './retry.js';

export interface LifecycleDeps {
  readonly store: LeaseStore;
  readonly runtime: ContainerRuntime;
  readonly finalLogs: FinalLogs;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  readonly instanceId: string;
  readonly visibilityTimeoutMs: number;
  readonly concurrency: number;
  readonly stopTimeoutSeconds: number;
  /** Per-lease retries of a failed removal. @defaultValue 3 attempts from 250 ms */
  readonly retry?: RetryOptions;
  /** Leases whose container writes more than this are stopped. @defaultValue no disk watch */
  readonly disk?: DiskLimit;
}

/** What happened to one claimed lease. */
export type CleanupStatus = 'removed' | 'released' | 'skipped' | 'failed';

export interface CleanupSummary {
  readonly warned: number;
  readonly removed: number;
  readonly released: number;
  readonly skipped: number;
  readonly failed: number;
  /** Leases stopped for writing more than the disk limit. */
  readonly overDisk: number;
  readonly reconciled: ReconcileSummary;
}

/** Claims per batch; a run keeps claiming until fewer come back. */
const BATCH = 100;
/** A run stops claiming after this many batches, so one run cannot starve the next. */
const MAX_BATCHES = 50;

/**
 * The cleanup pass the job runs every CLEANUP_INTERVAL: warn owners, remove due leases (re-reading
 * each one first, so an extended lease survives), and reconcile Redis with the containers' labels.
 * Every step is idempotent, so two passes racing, or a pass repeated after a crash, do no harm.
 */
export class LifecycleService {
  private readonly reconciler: Reconciler;

  constructor(private readonly deps: LifecycleDeps) {
    this.reconciler = new Reconciler(deps);
  }

  /**
   * One pass. When `signal` aborts (the process is shutting down), leases already being removed
   * are finished and the rest of the claims are released at once for another instance. So are
   * they when the engine itself turns out unreachable or hung: each lease would only wait out its
   * deadlines and retries in turn, and the next run tries again.
   */
  async runCleanup(now: number = this.deps.clock.now(), signal?: AbortSignal): Promise<CleanupSummary> {
    const warned = await this.deps.store.claimWarnings(1000);
    const counts: Record<CleanupStatus, number> = { removed: 0, released: 0, skipped: 0, failed: 0 };
    const engineOut = new AbortController();
    const halt = signal ? AbortSignal.any([signal, engineOut.signal]) : engineOut.signal;
    for (let batch = 0; batch < MAX_BATCHES && !halt.aborted; batch += 1) {
      const claims = await this.deps.store.claimDue(BATCH, this.deps.visibilityTimeoutMs);
      const statuses = await mapWithConcurrency(claims, this.deps.concurrency, async (claim) => {
        if (halt.aborted) return this.giveBack(claim);
        const outcome = await this.cleanOne(claim);
        if (outcome.engineOut) engineOut.abort();
        return outcome.status;
      });
      for (const status of statuses) counts[status] += 1;
      if (claims.length < BATCH) break;
    }
    if (engineOut.signal.aborted)
      this.deps.logger.error(
        { action: 'cleanup-run', ...counts },
        'cleanup run cut short: the Docker engine is unreachable or hung; the next run tries again',
      );
    const overDisk = halt.aborted ? 0 : await this.watchDisks();
    const reconciled = halt.aborted
      ? { adopted: 0, orphansRemoved: 0, leasesClosed: 0, pastHardCapRemoved: 0 }
      : await this.reconciler.reconcile(now);
    const summary = { warned, ...counts, overDisk, reconciled };
    this.deps.logger.info({ action: 'cleanup-run', ...summary }, 'cleanup run finished');
    return summary;
  }

  /** One claimed lease: re-read, then remove with retries; one structured log line whatever happens. */
  async clean(claim: Claim): Promise<CleanupStatus> {
    return (await this.cleanOne(claim)).status;
  }

  private async cleanOne(claim: Claim): Promise<{ status: CleanupStatus; engineOut: boolean }> {
    const started = performance.now();
    const decision = await this.deps.store.beginCleaning(claim);
    let status: CleanupStatus;
    let containerId = '';
    let attempts = 0;
    let error: string | undefined;
    let engineOut = false;
    if (decision.kind === 'lost') status = 'skipped';
    else if (decision.kind === 'released') status = 'released';
    else {
      const lease = decision.kind === 'begun' ? decision.lease : null;
      containerId = lease?.containerId ?? '';
      const outcome = await retry(
        () => (lease ? this.retire(lease) : this.removeUnrecorded(claim.id)),
        this.deps.retry,
      );
      attempts = outcome.attempts;
      status = outcome.ok ? 'removed' : 'failed';
      if (!outcome.ok) {
        error = (outcome.error as Error)?.message ?? String(outcome.error);
        engineOut = asCodedError(outcome.error).details.engine !== undefined;
      }
    }
    const durationMs = Math.round(performance.now() - started);
    const line = { leaseId: claim.id, containerId, action: 'cleanup', status, attempts, durationMs, error };
    if (status === 'failed')
      this.deps.logger.error(line, 'lease cleanup failed; it is retried after the visibility timeout');
    else this.deps.logger.info(line, `lease ${status}`);
    (this.deps.metrics ?? noMetrics).cleaned(durationMs / 1000, status);
    return { status, engineOut };
  }

  /** Stops the leases over the disk limit; a failure is logged and tried again next pass. */
  private async watchDisks(): Promise<number> {
    const { disk } = this.deps;
    if (!disk) return 0;
    try {
      return await stopLeasesOverDisk({ ...this.deps, disk });
    } catch (error) {
      this.deps.logger.error(
        { action: 'disk-limit', error: (error as Error)?.message ?? String(error) },
        'disk limit check failed; the next run tries again',
      );
      return 0;
    }
  }

  private async giveBack(claim: Claim): Promise<CleanupStatus> {
    await this.deps.store.release(claim);
    return 'skipped';
  }

  private retire(lease: Lease): Promise<void> {
    // The store recorded why cleaning began, by its own clock: a stop finished here after a crash
    // ends as the stop would have, and an app clock behind the store's cannot drop a notice.
    return retireLease(this.deps, lease, endOfCleaning(lease, this.deps.clock.now()));
  }

  /** An index entry whose record is gone: its containers are found by label and told about by the reconciler. */
  private async removeUnrecorded(leaseId: string): Promise<void> {
    const lease = { id: leaseId, containerId: '' };
    await removeLeaseContainers(this.deps.runtime, this.deps.instanceId, lease, this.deps.stopTimeoutSeconds);
    // Stryker disable next-line ObjectLiteral,StringLiteral: beginCleaning found no record, and without one the store records and tells nothing
    await this.deps.store.delete(leaseId, { action: 'expire', actor: SYSTEM_ACTOR });
  }
}
