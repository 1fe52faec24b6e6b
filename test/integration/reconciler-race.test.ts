import type { Redis } from 'ioredis';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { RedisKeys } from '../../src/core/adapters/redis/keys.js';
import { RedisLeaseStore } from '../../src/core/adapters/redis/redis-lease-store.js';
import { SYSTEM_ACTOR } from '../../src/core/domain/audit.js';
import type { LeaseView } from '../../src/core/domain/lease.js';
import type { Notice } from '../../src/core/domain/notice.js';
import type { ContainerSummary } from '../../src/core/ports/container-runtime.js';
import { silentLogger } from '../../src/core/ports/logger.js';
import type { LeaseService } from '../../src/core/services/lease-service.js';
import { Reconciler } from '../../src/core/services/reconciler.js';
import { FakeRuntime } from '../doubles/fake-runtime.js';
import { ManualClock } from '../doubles/manual-clock.js';
import { alice, makeLeaseService, TEST_CATALOG } from '../support/lease-service-fixture.js';
import { describeWith, flushPrefix, testRedis, uniquePrefix } from '../support/services.js';

const MIN = 60_000;

/**
 * An engine that lets a test run something at an exact point of a reconciliation pass: right
 * after the container list is taken, or right after a container is inspected, once.
 */
class SteppingRuntime extends FakeRuntime {
  afterList: (() => Promise<void>) | undefined;
  afterInspect: (() => Promise<void>) | undefined;

  override async list(labels: readonly string[]): Promise<ContainerSummary[]> {
    const snapshot = await super.list(labels);
    const step = this.afterList;
    this.afterList = undefined;
    await step?.();
    return snapshot;
  }

  override async inspect(id: string): Promise<ContainerSummary | null> {
    const found = await super.inspect(id);
    const step = this.afterInspect;
    this.afterInspect = undefined;
    await step?.();
    return found;
  }
}

describeWith({ redis: true })('reconciliation racing a stop (real Redis, a stepping engine double)', () => {
  let redis: Redis;
  let prefix: string;
  let keys: RedisKeys;
  let store: RedisLeaseStore;
  let runtime: SteppingRuntime;
  let leases: LeaseService;
  let clock: ManualClock;
  let reconciler: Reconciler;

  beforeEach(() => {
    redis = testRedis();
    prefix = uniquePrefix();
    keys = new RedisKeys(prefix);
    store = new RedisLeaseStore(redis, keys, { warnBeforeMs: 0 });
    clock = new ManualClock(Date.now() - 10 * MIN);
    runtime = new SteppingRuntime({
      images: [TEST_CATALOG.get('busybox')?.image ?? ''],
      now: () => clock.now(),
    });
    leases = makeLeaseService({ store, runtime, clock, instanceId: 'race' });
    reconciler = new Reconciler({
      store,
      runtime,
      logger: silentLogger,
      instanceId: 'race',
      stopTimeoutSeconds: 0,
    });
  });

  afterEach(async () => {
    await flushPrefix(redis, prefix);
    redis.disconnect();
  });

  const notices = async (): Promise<Notice[]> =>
    (await redis.xrange(keys.notifications(), '-', '+')).map(([, f]) => JSON.parse(f[1] ?? '{}') as Notice);
  const stop = (lease: LeaseView) => () => leases.stop(leases.actor('local:alice'), lease.id);
  const provision = (minutes: number) =>
    leases.provision(leases.actor('local:alice'), { imageType: 'busybox', minutes, notify: alice });
  /** A pass that began well after the container was made, so the in-flight guard does not skip it. */
  const reconcile = () => reconciler.reconcile(Date.now() + MIN);

  it('GIVEN a stop that finishes between the container list and the lease look-up THEN nothing is adopted, no lease is left without a container', async () => {
    const lease = await provision(60);
    runtime.afterList = stop(lease);
    expect(await reconcile()).toEqual({
      adopted: 0,
      orphansRemoved: 0,
      leasesClosed: 0,
      pastHardCapRemoved: 0,
    });
    expect(await store.get(lease.id)).toBeNull();
    expect(await store.count()).toBe(0);
    expect(runtime.containers.size).toBe(0);
    expect(await notices()).toEqual([]);
  });

  it('GIVEN a lease that ends between the re-inspection and the adoption THEN the store refuses to adopt it', async () => {
    const lease = await provision(60);
    // Its record lost while its index entry survived: the cleanup job removes such a lease's
    // containers by label and deletes the entry, here just after the reconciler inspected one.
    await redis.del(keys.lease(lease.id));
    runtime.afterInspect = async () => {
      runtime.vanish(lease.containerId);
      await store.delete(lease.id, { action: 'expire', actor: SYSTEM_ACTOR });
    };
    expect((await reconcile()).adopted).toBe(0);
    expect(await store.get(lease.id)).toBeNull();
    expect(await store.count()).toBe(0);
  });

  it('GIVEN a stop racing a pass for a lease past its labelled expiry (it was extended) THEN the owner is not told it expired', async () => {
    // Provisioned ten minutes ago by the app's clock: its label says it expired nine minutes ago,
    // and only Redis knows of the extension.
    const lease = await provision(1);
    await leases.extend(leases.actor('local:alice'), lease.id, 60);
    runtime.afterList = stop(lease);
    await reconcile();
    expect(await notices()).toEqual([]);
    expect(runtime.containers.size).toBe(0);
  });
});
