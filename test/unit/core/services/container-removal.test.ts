import { beforeEach, describe, expect, it } from 'vitest';
import { MINUTE_MS } from '../../../../src/core/domain/lease.js';
import { removeLeaseContainers } from '../../../../src/core/services/container-removal.js';
import { FakeRuntime } from '../../../doubles/fake-runtime.js';
import { startOrphan } from '../../../support/orphan-container.js';
import { TEST_IMAGE } from '../../../support/services.js';

const START = Date.parse('2026-11-29T12:00:00Z');

describe('removeLeaseContainers', () => {
  let runtime: FakeRuntime;
  const labelled = (leaseId: string, instanceId = 'unit') =>
    startOrphan(
      runtime,
      { leaseId, createdAt: START, expiresAt: START + MINUTE_MS, hardCapAt: START + 2 * MINUTE_MS },
      instanceId,
    );

  beforeEach(() => {
    runtime = new FakeRuntime({ images: [TEST_IMAGE], now: () => START });
  });

  it('GIVEN the recorded container and another carrying the lease’s label THEN both go; the recorded one’s logs are read between its stop and its removal', async () => {
    const recorded = await labelled('7k2m9x4qpz');
    const stray = await labelled('7k2m9x4qpz');
    const otherLease = await labelled('8k2m9x4qpz');
    const otherInstance = await labelled('7k2m9x4qpz', 'another');
    const order: string[] = [];
    const removed = await removeLeaseContainers(
      runtime,
      'unit',
      { id: '7k2m9x4qpz', containerId: recorded },
      1,
      async () => {
        order.push(`logs while ${runtime.containers.get(recorded)?.state}`);
      },
    );
    expect(removed).toBe(2);
    expect([...runtime.containers.keys()]).toEqual([otherLease, otherInstance]);
    expect(order).toEqual(['logs while exited']);
    expect(
      runtime.calls
        .filter((call) => call.operation === 'stop' || call.operation === 'remove')
        .map((call) => [call.operation, call.id]),
    ).toEqual([
      ['stop', recorded],
      ['remove', recorded],
      ['stop', stray],
      ['remove', stray],
    ]);
  });

  it('GIVEN a recorded container without the lease’s label (a claimed pool member) THEN it goes too', async () => {
    const member = await runtime.create({
      name: 'pool-busybox-1',
      image: TEST_IMAGE,
      cmd: ['sh'],
      labels: { 'io.containerlease.instance': 'unit', 'io.containerlease.pool': 'busybox' },
      limits: { memoryBytes: 1, nanoCpus: 1, pidsLimit: 1 },
      capAdd: [],
    });
    expect(await removeLeaseContainers(runtime, 'unit', { id: '7k2m9x4qpz', containerId: member }, 1)).toBe(
      1,
    );
    expect(runtime.containers.size).toBe(0);
  });

  it('GIVEN a lease that never got a container THEN nothing is stopped', async () => {
    expect(await removeLeaseContainers(runtime, 'unit', { id: '7k2m9x4qpz', containerId: '' }, 1)).toBe(0);
    expect(runtime.calls.map((call) => call.operation)).toEqual(['list']);
  });
});
