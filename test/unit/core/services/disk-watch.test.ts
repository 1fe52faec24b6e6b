import { beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../../../src/core/domain/audit.js';
import { LABELS } from '../../../../src/core/domain/container-labels.js';
import { MINUTE_MS } from '../../../../src/core/domain/lease.js';
import { RuntimeUnavailableError, StoreUnavailableError } from '../../../../src/core/errors.js';
import type { ContainerDisks, LayerUsage } from '../../../../src/core/ports/container-runtime.js';
import type { StopRequest } from '../../../../src/core/ports/lease-store.js';
import { type DiskWatchDeps, stopLeasesOverDisk } from '../../../../src/core/services/disk-watch.js';
import type { LeaseService } from '../../../../src/core/services/lease-service.js';
import { FakeRuntime } from '../../../doubles/fake-runtime.js';
import { InMemoryFinalLogs } from '../../../doubles/in-memory-final-logs.js';
import { InMemoryLeaseStore } from '../../../doubles/in-memory-lease-store.js';
import { ManualClock } from '../../../doubles/manual-clock.js';
import { RecordingLogger } from '../../../doubles/recording-logger.js';
import { alice, makeLeaseService, TEST_CATALOG } from '../../../support/lease-service-fixture.js';
import { startOrphan } from '../../../support/orphan-container.js';
import { failureOf } from '../../../support/outcomes.js';

const START = Date.parse('2026-11-29T12:00:00Z');
const INSTANCE = 'unit';
const LIMIT = 4 * 1024 ** 2;
const VISIBILITY_MS = 60_000;

/** What each container of the fake engine has written to its own layer, as the engine measures it. */
class WrittenDisks implements ContainerDisks {
  readonly written = new Map<string, number>();
  /** The engine caps layers itself (an xfs quota): it measures nothing. */
  caps = false;
  readonly asked: Array<readonly string[]> = [];

  constructor(private readonly runtime: FakeRuntime) {}

  async layerUsage(labels: readonly string[]): Promise<LayerUsage[] | null> {
    this.asked.push(labels);
    if (this.caps) return null;
    return (await this.runtime.list(labels)).map((container) => ({
      id: container.id,
      labels: container.labels,
      writtenBytes: this.written.get(container.id) ?? 0,
    }));
  }
}

/** The in-memory store, down for the stops this test names. */
class FailingStopStore extends InMemoryLeaseStore {
  failStops = false;

  override async beginStop(id: string, visibilityMs: number, stop: StopRequest) {
    if (this.failStops) throw new StoreUnavailableError('Redis is down');
    return super.beginStop(id, visibilityMs, stop);
  }
}

describe('stopLeasesOverDisk', () => {
  let clock: ManualClock;
  let store: FailingStopStore;
  let runtime: FakeRuntime;
  let disks: WrittenDisks;
  let logger: RecordingLogger;
  let leases: LeaseService;
  let deps: DiskWatchDeps;

  beforeEach(() => {
    clock = new ManualClock(START);
    store = new FailingStopStore(clock, { warnBeforeMs: 0 });
    runtime = new FakeRuntime({ images: [TEST_CATALOG.get('busybox')?.image ?? ''], now: () => clock.now() });
    disks = new WrittenDisks(runtime);
    logger = new RecordingLogger();
    leases = makeLeaseService({ store, runtime, clock, instanceId: INSTANCE });
    deps = {
      store,
      runtime,
      finalLogs: new InMemoryFinalLogs(),
      logger,
      instanceId: INSTANCE,
      stopTimeoutSeconds: 1,
      clock,
      visibilityTimeoutMs: VISIBILITY_MS,
      disk: { disks, limitBytes: LIMIT },
    };
  });

  const provision = async (writtenBytes: number) => {
    const lease = await leases.provision(leases.actor('local:alice'), {
      imageType: 'busybox',
      minutes: 30,
      notify: alice,
    });
    disks.written.set(lease.containerId, writtenBytes);
    return lease;
  };

  it('GIVEN one lease past the limit and one at it THEN the first is retired, its owner told why, and the second runs on', async () => {
    const over = await provision(LIMIT + 1);
    const at = await provision(LIMIT);
    clock.advance(MINUTE_MS);
    expect(await stopLeasesOverDisk(deps)).toBe(1);
    expect(disks.asked).toEqual([[`${LABELS.instance}=${INSTANCE}`]]);
    expect(await store.get(over.id)).toBeNull();
    expect(runtime.containers.has(over.containerId)).toBe(false);
    expect(await store.get(at.id)).toMatchObject({ status: 'active' });
    expect(runtime.running().map((container) => container.id)).toEqual([at.containerId]);
    expect(store.notices).toEqual([
      expect.objectContaining({ kind: 'disk', leaseId: over.id, owner: 'local:alice', at: clock.now() }),
    ]);
    expect(store.audit.entries.at(-1)).toMatchObject({
      actor: SYSTEM_ACTOR,
      action: 'stop',
      leaseId: over.id,
      params: { reason: 'over its disk limit' },
    });
    expect(logger.where({ action: 'disk-limit' })).toEqual([
      {
        level: 'warn',
        message: 'lease over its disk limit: stopping it',
        fields: {
          leaseId: over.id,
          containerId: over.containerId,
          action: 'disk-limit',
          writtenBytes: LIMIT + 1,
          limitBytes: LIMIT,
        },
      },
    ]);
  });

  it('GIVEN an engine that caps layers itself THEN nothing is measured against the limit, and nothing stops', async () => {
    const lease = await provision(LIMIT * 10);
    disks.caps = true;
    expect(await stopLeasesOverDisk(deps)).toBe(0);
    expect(await store.get(lease.id)).toMatchObject({ status: 'active' });
  });

  it('GIVEN a container past the limit that belongs to no lease THEN it is left to the others who keep it', async () => {
    const lease = await provision(0);
    const unlabelled = await runtime.create({
      name: 'pool-member',
      image: TEST_CATALOG.get('busybox')?.image ?? '',
      cmd: ['sh'],
      labels: { [LABELS.instance]: INSTANCE, [LABELS.pool]: 'busybox' },
      limits: { memoryBytes: 1, nanoCpus: 1, pidsLimit: 1 },
      capAdd: [],
    });
    disks.written.set(unlabelled, LIMIT * 10);
    expect(await stopLeasesOverDisk(deps)).toBe(0);
    expect(runtime.containers.has(unlabelled)).toBe(true);
    expect(await store.get(lease.id)).toMatchObject({ status: 'active' });
  });

  it('GIVEN a lease already being stopped, and an orphan with no lease, past the limit THEN both are left to their own paths and the others still stop', async () => {
    const stopping = await provision(LIMIT * 2);
    await store.beginStop(stopping.id, VISIBILITY_MS, { by: 'local:alice' });
    const orphan = await startOrphan(
      runtime,
      {
        leaseId: 'orphan0001',
        createdAt: START,
        expiresAt: START + MINUTE_MS,
        hardCapAt: START + 2 * MINUTE_MS,
      },
      INSTANCE,
    );
    disks.written.set(orphan, LIMIT * 2);
    const over = await provision(LIMIT * 2);
    expect(await stopLeasesOverDisk(deps)).toBe(1);
    expect(await store.get(stopping.id)).toMatchObject({ status: 'cleaning', endedBy: 'owner' });
    expect(runtime.containers.has(stopping.containerId)).toBe(true);
    expect(runtime.containers.has(orphan)).toBe(true);
    expect(await store.get(over.id)).toBeNull();
  });

  it('GIVEN the store failing THEN its error reaches the caller (the cleanup job logs it)', async () => {
    await provision(LIMIT * 2);
    store.failStops = true;
    expect(await failureOf(stopLeasesOverDisk(deps))).toMatchObject({ code: 'store_unavailable' });
  });

  it('GIVEN a removal that fails THEN the lease stays cleaning, ended by its disk, hidden from the job for the visibility timeout', async () => {
    const lease = await provision(LIMIT * 2);
    runtime.failNext('stop', new RuntimeUnavailableError('the engine is out'));
    expect(await failureOf(stopLeasesOverDisk(deps))).toMatchObject({ code: 'runtime_unavailable' });
    expect(await store.get(lease.id)).toMatchObject({
      status: 'cleaning',
      endedBy: 'disk',
      stoppedBy: SYSTEM_ACTOR,
      stopReason: 'over its disk limit',
    });
    expect(store.expiry.get(lease.id)).toBe(clock.now() + VISIBILITY_MS);
    expect(store.notices).toEqual([]);
  });
});
