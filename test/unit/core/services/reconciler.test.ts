import { beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../../../src/core/domain/audit.js';
import { MINUTE_MS } from '../../../../src/core/domain/lease.js';
import type { ContainerSummary } from '../../../../src/core/ports/container-runtime.js';
import { Reconciler } from '../../../../src/core/services/reconciler.js';
import { FakeRuntime } from '../../../doubles/fake-runtime.js';
import { InMemoryLeaseStore } from '../../../doubles/in-memory-lease-store.js';
import { ManualClock } from '../../../doubles/manual-clock.js';
import { RecordingLogger } from '../../../doubles/recording-logger.js';
import { alice, makeLeaseService, TEST_CATALOG } from '../../../support/lease-service-fixture.js';
import { startOrphan } from '../../../support/orphan-container.js';

/** An engine whose container list is a snapshot: `afterList` changes what it returned, or what happens right after it. */
class SnapshotRuntime extends FakeRuntime {
  afterList: (snapshot: ContainerSummary[]) => ContainerSummary[] = (snapshot) => snapshot;

  override async list(labels: readonly string[]): Promise<ContainerSummary[]> {
    return this.afterList(await super.list(labels));
  }
}

/** The in-memory store, where a look-up of `missedId` comes back empty, as one racing another pass writing the record does. */
class RacingStore extends InMemoryLeaseStore {
  missedId: string | undefined;

  override async get(id: string) {
    return id === this.missedId ? null : super.get(id);
  }
}

const START = Date.parse('2026-11-29T12:00:00Z');
const INSTANCE = 'unit';
const IMAGE = TEST_CATALOG.get('busybox')?.image ?? '';

/**
 * The reconciler over in-memory doubles: `clock` is the store's (Redis's) time, and the fake
 * engine stamps containers with it; a pass is told when it started, as the cleanup job tells it.
 */
describe('Reconciler with in-memory doubles', () => {
  let clock: ManualClock;
  let store: RacingStore;
  let runtime: SnapshotRuntime;
  let logger: RecordingLogger;
  let reconciler: Reconciler;

  beforeEach(() => {
    clock = new ManualClock(START);
    store = new RacingStore(clock, { warnBeforeMs: 10 * MINUTE_MS });
    runtime = new SnapshotRuntime({ images: [IMAGE], now: () => clock.now() });
    logger = new RecordingLogger();
    reconciler = new Reconciler({ store, runtime, logger, instanceId: INSTANCE, stopTimeoutSeconds: 1 });
  });

  /** A running container with our labels and no lease record, as Redis losing its data leaves one. */
  const orphan = (leaseId: string, expiresAt: number, instanceId = INSTANCE) =>
    startOrphan(
      runtime,
      { leaseId, createdAt: clock.now(), expiresAt, hardCapAt: clock.now() + 100 * MINUTE_MS },
      instanceId,
    );

  async function activeLease() {
    const leases = makeLeaseService({ store, runtime, clock, instanceId: INSTANCE });
    return leases.provision(leases.actor('local:alice'), {
      imageType: 'busybox',
      minutes: 30,
      notify: alice,
    });
  }

  const nothing = { adopted: 0, orphansRemoved: 0, leasesClosed: 0, pastHardCapRemoved: 0 };

  it('GIVEN an orphan past its labelled expiry THEN its container is removed and its owner told once that it expired', async () => {
    const expiresAt = START + 5 * MINUTE_MS;
    const id = await orphan('orphan0001', expiresAt);
    clock.advance(10 * MINUTE_MS);

    expect(await reconciler.reconcile(clock.now())).toEqual({ ...nothing, orphansRemoved: 1 });
    expect(await runtime.inspect(id)).toBeNull();
    expect(store.notices).toEqual([
      expect.objectContaining({ kind: 'expired', leaseId: 'orphan0001', expiresAt, at: clock.now() }),
    ]);
    expect(logger.where({ leaseId: 'orphan0001' })).toEqual([
      {
        level: 'warn',
        fields: {
          leaseId: 'orphan0001',
          containerId: id,
          action: 'reconcile',
          expiresAt,
          status: 'removed',
          told: true,
        },
        message: 'orphan container removed at its labelled expiry',
      },
    ]);

    expect(await reconciler.reconcile(clock.now())).toEqual(nothing);
    expect(store.notices).toHaveLength(1);
  });

  it('GIVEN an orphan before its labelled expiry THEN it is re-adopted as an active lease until then, and its container lives', async () => {
    const expiresAt = START + 30 * MINUTE_MS;
    const id = await orphan('orphan0002', expiresAt);
    clock.advance(10 * MINUTE_MS);

    expect(await reconciler.reconcile(clock.now())).toEqual({ ...nothing, adopted: 1 });
    expect(await store.get('orphan0002')).toMatchObject({
      status: 'active',
      containerId: id,
      owner: 'local:alice',
      expiresAt,
    });
    expect(runtime.running().map((container) => container.id)).toEqual([id]);
    expect(store.notices).toEqual([]);
    expect(logger.where({ leaseId: 'orphan0002' })).toEqual([
      {
        level: 'warn',
        fields: { leaseId: 'orphan0002', containerId: id, action: 'reconcile', expiresAt, status: 'adopted' },
        message: 'orphan container re-adopted from its labels',
      },
    ]);
  });

  it('GIVEN an orphan whose expiry is exactly now by the store clock THEN it is removed, not re-adopted', async () => {
    const id = await orphan('orphan0003', START + 10 * MINUTE_MS);
    clock.advance(10 * MINUTE_MS);

    expect(await reconciler.reconcile(clock.now())).toEqual({ ...nothing, orphansRemoved: 1 });
    expect(await runtime.inspect(id)).toBeNull();
  });

  it("GIVEN an app clock an hour ahead of the store's THEN an orphan ten minutes from its expiry is re-adopted, not removed early", async () => {
    const id = await orphan('orphan0004', START + 20 * MINUTE_MS);
    clock.advance(10 * MINUTE_MS);

    expect(await reconciler.reconcile(clock.now() + 60 * MINUTE_MS)).toEqual({ ...nothing, adopted: 1 });
    expect(runtime.running().map((container) => container.id)).toEqual([id]);
  });

  it('GIVEN an orphan of a lease that ended meanwhile (its container outlived the stop) THEN it is removed, not adopted, and nobody is told again', async () => {
    const expiresAt = START + 30 * MINUTE_MS;
    const id = await orphan('orphan0005', expiresAt);
    await store.delete('orphan0005', { action: 'stop', actor: 'local:alice' });
    clock.advance(10 * MINUTE_MS);

    expect(await reconciler.reconcile(clock.now())).toEqual(nothing);
    expect(await runtime.inspect(id)).toBeNull();
    expect(await store.get('orphan0005')).toBeNull();
    expect(store.notices).toEqual([]);
    expect(logger.where({ leaseId: 'orphan0005' })).toEqual([
      {
        level: 'info',
        fields: { leaseId: 'orphan0005', containerId: id, action: 'reconcile', expiresAt, status: 'removed' },
        message: 'container of a lease that ended meanwhile removed',
      },
    ]);
  });

  it('GIVEN containers created less than a second before the pass began THEN they are left alone; one created a second before is settled', async () => {
    await orphan('orphan0006', START - MINUTE_MS);
    clock.advance(1);
    const young = await orphan('orphan0007', START - MINUTE_MS);

    expect(await reconciler.reconcile(START + 1_000)).toEqual({ ...nothing, orphansRemoved: 1 });
    expect(runtime.running().map((container) => container.id)).toEqual([young]);
    expect(store.notices.map((notice) => notice.leaseId)).toEqual(['orphan0006']);
  });

  it("GIVEN another installation's orphan before its hard cap THEN it is never touched", async () => {
    const id = await orphan('orphan0008', START + MINUTE_MS, 'another-instance');
    clock.advance(10 * MINUTE_MS);

    expect(await reconciler.reconcile(clock.now())).toEqual(nothing);
    expect(runtime.running().map((container) => container.id)).toEqual([id]);
  });

  it('GIVEN a running lease with its container THEN a pass changes nothing', async () => {
    const lease = await activeLease();
    clock.advance(10 * MINUTE_MS);

    expect(await reconciler.reconcile(clock.now())).toEqual(nothing);
    expect(await store.get(lease.id)).toMatchObject({ status: 'active', containerId: lease.containerId });
    expect(runtime.running().map((container) => container.id)).toEqual([lease.containerId]);
    // Only a container the list missed is looked at again: one engine call per lease would add up.
    expect(runtime.calls.filter((call) => call.operation === 'inspect')).toEqual([]);
  });

  it('GIVEN a lease whose container was removed behind our back THEN the lease is closed by the system and its owner told it vanished', async () => {
    const lease = await activeLease();
    runtime.vanish(lease.containerId);
    clock.advance(10 * MINUTE_MS);

    expect(await reconciler.reconcile(clock.now())).toEqual({ ...nothing, leasesClosed: 1 });
    expect(await store.get(lease.id)).toBeNull();
    expect(store.notices).toEqual([
      expect.objectContaining({ kind: 'vanished', leaseId: lease.id, at: clock.now() }),
    ]);
    expect(store.audit.entries.at(-1)).toMatchObject({
      leaseId: lease.id,
      action: 'vanished',
      actor: SYSTEM_ACTOR,
    });
    expect(logger.where({ leaseId: lease.id })).toEqual([
      {
        level: 'warn',
        fields: { leaseId: lease.id, containerId: lease.containerId, action: 'reconcile', status: 'closed' },
        message: 'lease closed: its container is gone',
      },
    ]);

    expect(await reconciler.reconcile(clock.now())).toEqual(nothing);
    expect(store.notices).toHaveLength(1);
  });

  it('GIVEN a lease created less than a second before the pass whose container the list missed THEN it is left open; at a second it is closed', async () => {
    const lease = await activeLease();
    runtime.vanish(lease.containerId);

    expect(await reconciler.reconcile(START + 999)).toEqual(nothing);
    expect(await store.get(lease.id)).not.toBeNull();
    expect(await reconciler.reconcile(START + 1_000)).toEqual({ ...nothing, leasesClosed: 1 });
  });

  it('GIVEN a lease still provisioning, with no container yet THEN a pass leaves it to the provision', async () => {
    await store.create(
      {
        id: 'prov000001',
        owner: 'local:alice',
        notify: alice,
        team: 'local',
        imageType: 'busybox',
        image: IMAGE,
        createdAt: START,
        expiresAt: START + 30 * MINUTE_MS,
        hardCapAt: START + 100 * MINUTE_MS,
      },
      { maxPerUser: 3, maxActive: 10, maxPerTeam: 0, provisionTimeoutMs: 10 * MINUTE_MS },
    );
    clock.advance(5 * MINUTE_MS);

    expect(await reconciler.reconcile(clock.now())).toEqual(nothing);
    expect(await store.get('prov000001')).toMatchObject({ status: 'provisioning' });
    expect(store.notices).toEqual([]);
  });
  it('GIVEN an orphan whose container is removed just after the list (a stop finishing) THEN the pass leaves it: nothing removed, nobody told', async () => {
    const id = await orphan('orphan0009', START + 5 * MINUTE_MS);
    clock.advance(10 * MINUTE_MS);
    runtime.afterList = (snapshot) => {
      runtime.vanish(id);
      return snapshot;
    };

    expect(await reconciler.reconcile(clock.now())).toEqual(nothing);
    expect(store.notices).toEqual([]);
    expect(runtime.calls.filter((call) => call.operation === 'stop')).toEqual([]);
  });

  it('GIVEN a list taken before a lease got its container THEN the lease is looked at again and left open', async () => {
    const lease = await activeLease();
    clock.advance(10 * MINUTE_MS);
    runtime.afterList = (snapshot) => snapshot.filter((container) => container.id !== lease.containerId);

    expect(await reconciler.reconcile(clock.now())).toEqual(nothing);
    expect(await store.get(lease.id)).toMatchObject({ status: 'active' });
    expect(store.notices).toEqual([]);
  });
  it('GIVEN a lease extended past the expiry on its labels THEN its container lives: the record, not the label, decides', async () => {
    const leases = makeLeaseService({ store, runtime, clock, instanceId: INSTANCE });
    const owner = leases.actor('local:alice');
    const lease = await leases.provision(owner, { imageType: 'busybox', minutes: 5, notify: alice });
    await leases.extend(owner, lease.id, 30);
    clock.advance(10 * MINUTE_MS);

    expect(await reconciler.reconcile(clock.now())).toEqual(nothing);
    expect(runtime.running().map((container) => container.id)).toEqual([lease.containerId]);
    expect(store.notices).toEqual([]);
  });

  it('GIVEN a lease being stopped whose container is already gone THEN the reconciler leaves it to the stop: no vanished notice', async () => {
    const lease = await activeLease();
    await store.beginStop(lease.id, MINUTE_MS, { by: 'local:alice' });
    runtime.vanish(lease.containerId);
    clock.advance(10 * MINUTE_MS);

    expect(await reconciler.reconcile(clock.now())).toEqual(nothing);
    expect(await store.get(lease.id)).toMatchObject({ status: 'cleaning' });
    expect(store.notices).toEqual([]);
  });

  it('GIVEN a container of ours with no lease on it (an idle pool member) THEN the pass leaves it running', async () => {
    const id = await runtime.create({
      name: 'pool-member',
      image: IMAGE,
      cmd: ['sleep', 'infinity'],
      labels: { 'io.containerlease.instance': INSTANCE, 'io.containerlease.pool': 'busybox' },
      limits: { memoryBytes: 32 * 1024 ** 2, nanoCpus: 1e8, pidsLimit: 16 },
      capAdd: [],
    });
    await runtime.start(id);
    clock.advance(10 * MINUTE_MS);

    expect(await reconciler.reconcile(clock.now())).toEqual(nothing);
    expect(runtime.running().map((container) => container.id)).toEqual([id]);
  });
  it("GIVEN another pass adopting the same orphan between this one's look-up and its adoption THEN this pass leaves the container alone", async () => {
    const id = await orphan('orphan0010', START + 30 * MINUTE_MS);
    clock.advance(10 * MINUTE_MS);
    expect(await reconciler.reconcile(clock.now())).toEqual({ ...nothing, adopted: 1 });
    store.missedId = 'orphan0010';

    expect(await reconciler.reconcile(clock.now())).toEqual(nothing);
    expect(runtime.running().map((container) => container.id)).toEqual([id]);
    store.missedId = undefined;
    expect(await store.get('orphan0010')).toMatchObject({ status: 'active', containerId: id });
  });

  it('GIVEN an orphan past its expiry whose lease was already ended and told THEN its container is removed and the log says nobody was told again', async () => {
    const id = await orphan('orphan0011', START + 5 * MINUTE_MS);
    await store.delete('orphan0011', { action: 'expire', actor: SYSTEM_ACTOR });
    clock.advance(10 * MINUTE_MS);

    expect(await reconciler.reconcile(clock.now())).toEqual({ ...nothing, orphansRemoved: 1 });
    expect(await runtime.inspect(id)).toBeNull();
    expect(store.notices).toEqual([]);
    expect(logger.where({ leaseId: 'orphan0011' })).toEqual([
      expect.objectContaining({ fields: expect.objectContaining({ status: 'removed', told: false }) }),
    ]);
  });
});
