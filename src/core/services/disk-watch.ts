import { SYSTEM_ACTOR } from '../domain/audit.js';
import { LABELS } from '../domain/container-labels.js';
import { asCodedError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { ContainerDisks } from '../ports/container-runtime.js';
import { endOfCleaning } from './lease-end.js';
import { type RetireDeps, retireLease } from './retire-lease.js';

/** The disk limit the cleanup job holds leases to where the engine cannot (CONTAINER_DISK_MB). */
export interface DiskLimit {
  readonly disks: ContainerDisks;
  readonly limitBytes: number;
}

export interface DiskWatchDeps extends RetireDeps {
  readonly clock: Clock;
  readonly visibilityTimeoutMs: number;
  readonly disk: DiskLimit;
}

/**
 * Stops every lease of this instance whose container has written more than the limit to its own
 * layer, through the one retire path, queuing a `disk` notice that tells its owner why. One engine
 * call measures them all; nothing is measured where the engine caps the layer itself. A lease that
 * is already ending (its owner stopped it, the job claimed it) is left to that. @returns how many it stopped
 */
export async function stopLeasesOverDisk(deps: DiskWatchDeps): Promise<number> {
  const usage = await deps.disk.disks.layerUsage([`${LABELS.instance}=${deps.instanceId}`]);
  let stopped = 0;
  for (const container of usage ?? []) {
    const leaseId = container.labels[LABELS.lease];
    if (!leaseId || container.writtenBytes <= deps.disk.limitBytes) continue;
    let lease: Awaited<ReturnType<typeof deps.store.beginStop>>;
    try {
      lease = await deps.store.beginStop(leaseId, deps.visibilityTimeoutMs, {
        by: SYSTEM_ACTOR,
        reason: 'over its disk limit',
        ending: 'disk',
      });
    } catch (error) {
      // Gone or already ending: its own path removes it. An orphan is the reconciler's.
      const code = asCodedError(error).code;
      if (code === 'not_found' || code === 'conflict') continue;
      throw error;
    }
    const line = {
      leaseId,
      containerId: container.id,
      action: 'disk-limit',
      writtenBytes: container.writtenBytes,
      limitBytes: deps.disk.limitBytes,
    };
    deps.logger.warn(line, 'lease over its disk limit: stopping it');
    // A failure here leaves the lease cleaning, ended by `disk`: the job finishes it after the
    // visibility timeout and queues the same notice then.
    await retireLease(deps, lease, endOfCleaning(lease, deps.clock.now()));
    stopped += 1;
  }
  return stopped;
}
