import { containerLabels } from '../../src/core/domain/container-labels.js';
import type { ContainerRuntime } from '../../src/core/ports/container-runtime.js';
import { alice } from './lease-service-fixture.js';
import { TEST_IMAGE } from './services.js';

/**
 * Starts a container with our labels and no lease record, as Redis losing its data leaves one:
 * alice's busybox lease `leaseId` of `instanceId`, with the times its labels carry.
 */
export async function startOrphan(
  runtime: ContainerRuntime,
  lease: { leaseId: string; createdAt: number; expiresAt: number; hardCapAt: number },
  instanceId: string,
): Promise<string> {
  const labels = containerLabels(
    { ...lease, owner: 'local:alice', imageType: 'busybox', notify: alice },
    instanceId,
  );
  const id = await runtime.create({
    name: `orphan-${lease.leaseId}-${instanceId}`,
    image: TEST_IMAGE,
    cmd: ['sleep', 'infinity'],
    labels,
    limits: { memoryBytes: 32 * 1024 ** 2, nanoCpus: 1e8, pidsLimit: 16 },
    capAdd: [],
  });
  await runtime.start(id);
  return id;
}
