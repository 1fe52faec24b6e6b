import { instanceFilter } from '../domain/container-labels.js';
import type { ContainerRuntime } from '../ports/container-runtime.js';

/**
 * Removes every container of a lease: the recorded one, and any other that carries the lease's
 * label (a crash between create and activate leaves one we never recorded). Idempotent.
 * `afterStop` runs between stopping and removing the recorded container, when its logs hold
 * everything it printed, its shutdown included.
 */
export async function removeLeaseContainers(
  runtime: ContainerRuntime,
  instanceId: string,
  lease: { readonly id: string; readonly containerId: string },
  stopTimeoutSeconds: number,
  afterStop?: () => Promise<void>,
): Promise<number> {
  const labelled = await runtime.list(instanceFilter(instanceId, lease.id));
  const ids = new Set(labelled.map((container) => container.id));
  if (lease.containerId) ids.add(lease.containerId);
  for (const id of ids) {
    await runtime.stop(id, stopTimeoutSeconds);
    if (id === lease.containerId) await afterStop?.();
    await runtime.remove(id);
  }
  return ids.size;
}

/** Stops (SIGTERM, then SIGKILL after the timeout) and removes one container. Idempotent. */
export async function stopAndRemove(
  runtime: ContainerRuntime,
  id: string,
  stopTimeoutSeconds: number,
): Promise<void> {
  await runtime.stop(id, stopTimeoutSeconds);
  await runtime.remove(id);
}
