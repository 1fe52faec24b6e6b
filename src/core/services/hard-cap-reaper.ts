import { LABELS, labelledLeaseOf } from '../domain/container-labels.js';
import { noticeFor } from '../domain/notice.js';
import { isIdlePoolMember, leaseOfContainer } from '../domain/pooled-lease-name.js';
import type { ContainerRuntime } from '../ports/container-runtime.js';
import type { LeaseStore } from '../ports/lease-store.js';
import type { Logger } from '../ports/logger.js';
import { stopAndRemove } from './container-removal.js';

export interface HardCapReaperDeps {
  readonly store: LeaseStore;
  readonly runtime: ContainerRuntime;
  readonly logger: Logger;
  readonly instanceId: string;
  readonly stopTimeoutSeconds: number;
}

/**
 * "Never past the hard cap", whoever made the container: removes every container carrying our
 * labels whose hard cap has passed, whatever instance id it carries. A claimed warm pool member's
 * hard cap is the one its name carries (claim plus LEASE_MAX_TOTAL_MINUTES); an idle member's label
 * holds its idle cap, so even this instance's idle members are removed here when no keeper runs. The product started with
 * another DATA_DIR has another id, and without this the containers of its earlier runs would live
 * forever. Another installation's containers are never touched before their hard cap; this
 * instance's own are left to the rest of the reconciliation, which ends them at their expiry.
 * The owner is told through this installation's outbox, once (the store closes the lease id).
 * @returns how many were removed
 */
export async function reapPastHardCap(deps: HardCapReaperDeps, now: number): Promise<number> {
  let removed = 0;
  // Stryker disable next-line ArrayDeclaration: a container listed without the label has no hard cap to read (NaN), and is skipped
  for (const container of await deps.runtime.list([LABELS.hardCap])) {
    const instance = container.labels[LABELS.instance];
    const labels = leaseOfContainer(container);
    // Stryker disable next-line StringLiteral: any text that is not a time parses to NaN, as '' does
    const hardCapAt = labels?.hardCapAt ?? Date.parse(container.labels[LABELS.hardCap] ?? '');
    const ours = instance === deps.instanceId && !isIdlePoolMember(container);
    if (ours || Number.isNaN(hardCapAt) || hardCapAt > now) continue;
    await stopAndRemove(deps.runtime, container.id, deps.stopTimeoutSeconds);
    removed += 1;
    const lease = labels && labelledLeaseOf(labels, container);
    const told =
      lease !== null && (await deps.store.closeOrphan(lease, noticeFor('expired', lease, now))) === 'closed';
    deps.logger.warn(
      {
        leaseId: labels?.leaseId,
        containerId: container.id,
        instance,
        hardCapAt,
        action: 'reconcile',
        status: 'removed',
        told,
      },
      'container removed past its hard cap',
    );
  }
  return removed;
}
