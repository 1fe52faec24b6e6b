import { afterEach, expect, it } from 'vitest';
import { LABELS } from '../../src/core/domain/container-labels.js';
import { MINUTE_MS } from '../../src/core/domain/lease.js';
import { silentLogger } from '../../src/core/ports/logger.js';
import { reapPastHardCap } from '../../src/core/services/hard-cap-reaper.js';
import { Reconciler } from '../../src/core/services/reconciler.js';
import { FakeRuntime } from '../doubles/fake-runtime.js';
import { ManualClock } from '../doubles/manual-clock.js';
import { alice } from '../support/lease-service-fixture.js';
import { makePoolFixture } from '../support/pool-fixture.js';
import { describeWith, flushPrefix, queuedNotices, TEST_IMAGE, uniqueInstance } from '../support/services.js';

/**
 * A claimed pool member's labels name no lease: its name does. These are the promises the labels
 * keep for other containers, kept from the name when Redis has lost the lease.
 */
describeWith({ redis: true })('claimed pool members when Redis lost their leases', () => {
  let fixture: ReturnType<typeof makePoolFixture>;
  let clock: ManualClock;
  let runtime: FakeRuntime;

  const setUp = (maxIdleMs = 60 * MINUTE_MS) => {
    clock = new ManualClock(Date.now());
    runtime = new FakeRuntime({ images: [TEST_IMAGE], now: () => clock.now() });
    fixture = makePoolFixture({ clock, runtime, maxIdleMs, sizes: new Map([['busybox', 1]]) });
  };
  /** A lease claimed from a warm pool member, its clock started `agoMs` before now. */
  const claimed = async (agoMs: number) => {
    await fixture.pool.keep();
    await fixture.pool.stop();
    clock.set(Date.now() - agoMs);
    const lease = await fixture.leases.provision(fixture.leases.actor('local:alice'), {
      imageType: 'busybox',
      minutes: 30,
      notify: alice,
    });
    await fixture.pool.stop();
    await flushPrefix(fixture.adapters.redis, fixture.prefix);
    return lease;
  };
  const reconciler = (instanceId = fixture.instanceId) =>
    new Reconciler({
      store: fixture.adapters.store,
      runtime,
      logger: silentLogger,
      instanceId,
      stopTimeoutSeconds: 0,
    });

  afterEach(() => fixture.close());

  it('GIVEN its expiry ahead THEN the lease is adopted from the name, owner and expiry included', async () => {
    setUp();
    const lease = await claimed(0);
    const summary = await reconciler().reconcile(Date.now() + 2_000);
    expect(summary.adopted).toBe(1);
    expect(await fixture.adapters.store.get(lease.id)).toMatchObject({
      id: lease.id,
      owner: 'local:alice',
      notify: alice,
      containerId: lease.containerId,
      createdAt: lease.createdAt,
      expiresAt: lease.expiresAt,
      hardCapAt: lease.hardCapAt,
      status: 'active',
    });
    expect(runtime.containers.has(lease.containerId)).toBe(true);
  });

  it('GIVEN its expiry passed THEN the container is removed and its owner told', async () => {
    setUp();
    const lease = await claimed(2 * 60 * MINUTE_MS);
    const summary = await reconciler().reconcile(Date.now() + 2_000);
    expect(summary.orphansRemoved).toBe(1);
    expect(runtime.containers.has(lease.containerId)).toBe(false);
    const notices = await queuedNotices(fixture.adapters);
    expect(notices.map((notice) => [notice.kind, notice.leaseId])).toEqual([['expired', lease.id]]);
  });

  it("GIVEN another instance's claimed member past its idle cap THEN it lives to the hard cap its name carries, and not past it", async () => {
    setUp();
    const lease = await claimed(0);
    const container = runtime.containers.get(lease.containerId);
    const idleCap = Date.parse(container?.spec.labels[LABELS.hardCap] ?? '');
    const deps = {
      store: fixture.adapters.store,
      runtime,
      logger: silentLogger,
      instanceId: uniqueInstance(),
      stopTimeoutSeconds: 0,
    };
    // The idle member made after the claim goes at its own idle cap; the claimed one stays.
    expect(await reapPastHardCap(deps, idleCap + MINUTE_MS)).toBe(1);
    expect(runtime.containers.has(lease.containerId)).toBe(true);
    expect(await reapPastHardCap(deps, lease.hardCapAt - 1)).toBe(0);
    expect(runtime.containers.has(lease.containerId)).toBe(true);
    expect(await reapPastHardCap(deps, lease.hardCapAt)).toBe(1);
    expect(runtime.containers.size).toBe(0);
  });

  it("GIVEN this instance's idle member past its idle cap and no keeper running THEN the reaper removes it", async () => {
    setUp();
    await fixture.pool.keep();
    const [member] = runtime.running();
    const idleCap = Date.parse(member?.spec.labels[LABELS.hardCap] ?? '');
    const deps = {
      store: fixture.adapters.store,
      runtime,
      logger: silentLogger,
      instanceId: fixture.instanceId,
      stopTimeoutSeconds: 0,
    };
    expect(await reapPastHardCap(deps, idleCap - 1)).toBe(0);
    expect(await reapPastHardCap(deps, idleCap)).toBe(1);
    expect(runtime.containers.size).toBe(0);
  });
});
