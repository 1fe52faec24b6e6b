import { SYSTEM_ACTOR } from '../domain/audit.js';
import { instanceFilter, type LabelledLease, labelledLeaseOf } from '../domain/container-labels.js';
import { noticeFor } from '../domain/notice.js';
import { leaseOfContainer } from '../domain/pooled-lease-name.js';
import type { ContainerRuntime, ContainerSummary } from '../ports/container-runtime.js';
import type { LeaseStore } from '../ports/lease-store.js';
import type { Logger } from '../ports/logger.js';
import { stopAndRemove } from './container-removal.js';
import { reapPastHardCap } from './hard-cap-reaper.js';

export interface ReconcileSummary {
  readonly adopted: number;
  readonly orphansRemoved: number;
  readonly leasesClosed: number;
  /** Containers of other instances removed past their hard cap. */
  readonly pastHardCapRemoved: number;
}

export interface ReconcilerDeps {
  readonly store: LeaseStore;
  readonly runtime: ContainerRuntime;
  readonly logger: Logger;
  readonly instanceId: string;
  readonly stopTimeoutSeconds: number;
}

/** Containers created this close to the pass's start may belong to a provision in flight. */
const RACE_GUARD_MS = 1_000;

/**
 * Brings Redis and Docker back into agreement, with the containers' labels (or a claimed pool
 * member's name, pooled-lease-name.ts) as the truth of what exists: an orphan container is re-adopted while its labelled expiry is ahead (never past its
 * hard cap) and removed once it is not; a lease whose container vanished is closed and its owner
 * told; any instance's container past its hard cap is removed. Provisioning leases and containers
 * newer than the pass are left alone. Expiries are judged by the store's clock, as the job's
 * claims are, so an app clock ahead of Redis's never removes an orphan early.
 */
export class Reconciler {
  constructor(private readonly deps: ReconcilerDeps) {}

  async reconcile(passStartedAt: number): Promise<ReconcileSummary> {
    const now = await this.deps.store.serverTime();
    const containers = await this.deps.runtime.list(instanceFilter(this.deps.instanceId));
    let adopted = 0;
    let orphansRemoved = 0;
    for (const container of containers) {
      const labels = leaseOfContainer(container);
      if (!labels || container.createdAt > passStartedAt - RACE_GUARD_MS) continue;
      if (await this.deps.store.get(labels.leaseId)) continue;
      const settled = await this.settleOrphan(container, labels, now);
      if (settled === 'adopted') adopted += 1;
      if (settled === 'removed') orphansRemoved += 1;
    }
    const known = new Set(containers.map((container) => container.id));
    const leasesClosed = await this.closeLeasesWithoutContainer(known, passStartedAt, now);
    const pastHardCapRemoved = await reapPastHardCap(this.deps, now);
    return { adopted, orphansRemoved, leasesClosed, pastHardCapRemoved };
  }

  /**
   * A container whose lease had no record when we looked: re-adopted while its labelled expiry is
   * ahead, else removed and its owner told. The container list is a snapshot taken before the
   * look-up, so a stop or a cleanup may have finished in between: the container is inspected
   * again, and the store refuses, atomically, to adopt or announce a lease that ended meanwhile.
   */
  private async settleOrphan(
    container: ContainerSummary,
    labels: LabelledLease,
    now: number,
  ): Promise<'adopted' | 'removed' | 'left'> {
    // Stryker disable next-line StringLiteral: the caller counts only 'adopted' and 'removed'; any other answer is left
    if (!(await this.deps.runtime.inspect(container.id))) return 'left';
    const lease = labelledLeaseOf(labels, container);
    const log = {
      leaseId: lease.id,
      containerId: container.id,
      action: 'reconcile',
      expiresAt: lease.expiresAt,
    };
    if (lease.expiresAt > now) {
      const adoption = await this.deps.store.adopt(lease);
      if (adoption === 'adopted') {
        this.deps.logger.warn({ ...log, status: 'adopted' }, 'orphan container re-adopted from its labels');
        return 'adopted';
      }
      if (adoption === 'ended') {
        await this.removeContainer(container.id);
        this.deps.logger.info(
          { ...log, status: 'removed' },
          'container of a lease that ended meanwhile removed',
        );
      }
      // Stryker disable next-line StringLiteral: the caller counts only 'adopted' and 'removed'; any other answer is left
      return 'left';
    }
    await this.removeContainer(container.id);
    const closing = await this.deps.store.closeOrphan(lease, noticeFor('expired', lease, now));
    this.deps.logger.warn(
      { ...log, status: 'removed', told: closing === 'closed' },
      'orphan container removed at its labelled expiry',
    );
    return 'removed';
  }

  private removeContainer(id: string): Promise<void> {
    return stopAndRemove(this.deps.runtime, id, this.deps.stopTimeoutSeconds);
  }

  private async closeLeasesWithoutContainer(
    known: ReadonlySet<string>,
    passStartedAt: number,
    now: number,
  ): Promise<number> {
    let closed = 0;
    for (const lease of await this.deps.store.listAll()) {
      if (lease.status !== 'active' || !lease.containerId || known.has(lease.containerId)) continue;
      if (lease.createdAt > passStartedAt - RACE_GUARD_MS) continue;
      // The list is a snapshot: look again before closing, in case it was taken mid-provision.
      if (await this.deps.runtime.inspect(lease.containerId)) continue;
      const end = {
        action: 'vanished',
        actor: SYSTEM_ACTOR,
        notice: noticeFor('vanished', lease, now),
      } as const;
      if (await this.deps.store.delete(lease.id, end)) {
        closed += 1;
        this.deps.logger.warn(
          { leaseId: lease.id, containerId: lease.containerId, action: 'reconcile', status: 'closed' },
          'lease closed: its container is gone',
        );
      }
    }
    return closed;
  }
}
