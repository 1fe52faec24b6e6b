import type { ContainerRuntime } from '../ports/container-runtime.js';
import type { EndedLease, FinalLogs } from '../ports/final-logs.js';
import type { LeaseEnd, LeaseStore } from '../ports/lease-store.js';
import type { Logger } from '../ports/logger.js';
import { removeLeaseContainers } from './container-removal.js';
import { captureFinalLogs } from './final-logs-capture.js';

export interface RetireDeps {
  readonly store: LeaseStore;
  readonly runtime: ContainerRuntime;
  readonly finalLogs: FinalLogs;
  readonly logger: Logger;
  readonly instanceId: string;
  readonly stopTimeoutSeconds: number;
}

/**
 * The end of every lease, whether its owner stopped it or the cleanup job found it due: its
 * containers are stopped and removed, the recorded one's last lines kept for its log page, then
 * the lease is deleted, queuing the end's notice and recording the end in the same step.
 * Idempotent, so a retry after a crash finishes what the first attempt began.
 */
export async function retireLease(
  deps: RetireDeps,
  lease: EndedLease & { readonly containerId: string },
  end: LeaseEnd,
): Promise<void> {
  await removeLeaseContainers(deps.runtime, deps.instanceId, lease, deps.stopTimeoutSeconds, () =>
    captureFinalLogs(deps, lease),
  );
  await deps.store.delete(lease.id, end);
}
