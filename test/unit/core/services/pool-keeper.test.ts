import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPoolKeeper } from '../../../../src/composition/pool.js';
import { LABELS } from '../../../../src/core/domain/container-labels.js';
import { MINUTE_MS } from '../../../../src/core/domain/lease.js';
import { poolLabels } from '../../../../src/core/domain/pooled-lease-name.js';
import { ImageUnavailableError, RuntimeUnavailableError } from '../../../../src/core/errors.js';
import type { Clock } from '../../../../src/core/ports/clock.js';
import type { Lock } from '../../../../src/core/ports/lock.js';
import { CLAIM_MARGIN_MS, type PoolKeeper } from '../../../../src/core/services/pool-keeper.js';
import { FakeRuntime } from '../../../doubles/fake-runtime.js';
import { InMemoryLeaseStore } from '../../../doubles/in-memory-lease-store.js';
import { InMemoryPoolStore } from '../../../doubles/in-memory-pool-store.js';
import { ManualClock } from '../../../doubles/manual-clock.js';
import { RecordingLogger } from '../../../doubles/recording-logger.js';
import { leaseDraft } from '../../../support/drafts.js';
import { eventually } from '../../../support/eventually.js';
import {
  alice,
  makeLeaseService,
  TEST_CATALOG,
  TEST_SETTINGS,
} from '../../../support/lease-service-fixture.js';

const START = Date.parse('2026-11-29T12:00:00Z');
const INSTANCE = 'unit';
const MAX_IDLE_MS = 60 * MINUTE_MS;
const BUSYBOX = TEST_CATALOG.get('busybox');
const IMAGE = BUSYBOX?.image ?? '';

/** The lock every instance shares on one store, lapsing by `clock` as Redis's PX does. */
class SharedLock implements Lock {
  private readonly held = new Map<string, { token: string; until: number }>();
  private sequence = 0;

  constructor(private readonly clock: Clock) {}

  async acquire(name: string, ttlMs: number): Promise<string | null> {
    if (this.holder(name)) return null;
    this.sequence += 1;
    const token = `token${this.sequence}`;
    this.held.set(name, { token, until: this.clock.now() + ttlMs });
    return token;
  }

  async release(name: string, token: string): Promise<boolean> {
    if (this.holder(name) !== token) return false;
    this.held.delete(name);
    return true;
  }

  private holder(name: string): string | undefined {
    const held = this.held.get(name);
    return held && held.until > this.clock.now() ? held.token : undefined;
  }
}

/** An engine beside a registry: a missing image is pulled by `pull`, which by default brings it. */
class RegistryRuntime extends FakeRuntime {
  pulls = 0;
  pull: (image: string) => Promise<void> = async (image) => {
    this.images.add(image);
  };

  override async ensureImage(image: string): Promise<void> {
    if (this.images.has(image)) return super.ensureImage(image);
    this.pulls += 1;
    await this.pull(image);
  }
}

describe('PoolKeeper over in-memory doubles', () => {
  let clock: ManualClock;
  let runtime: RegistryRuntime;
  let leases: InMemoryLeaseStore;
  let pool: InMemoryPoolStore;
  let lock: SharedLock;
  let logger: RecordingLogger;
  let failures: string[];
  let claims: Array<[string, boolean]>;
  let keeper: PoolKeeper;

  /** A keeper of this instance over the same store, engine and lock: another pass, or another POOL. */
  const keeperOf = (sizes: ReadonlyMap<string, number>) =>
    createPoolKeeper({ ...TEST_SETTINGS, pool: { sizes, maxIdleMs: MAX_IDLE_MS } }, TEST_CATALOG, {
      pool,
      runtime,
      lock,
      clock,
      logger,
      instanceId: INSTANCE,
      metrics: {
        poolClaimed: (imageType, hit) => claims.push([imageType, hit]),
        poolRefillFailed: (imageType) => failures.push(imageType),
      },
    });
  const memberIds = async (type = 'busybox') => (await pool.members(type)).map((m) => m.containerId);
  const containerIds = () => [...runtime.containers.keys()];
  const created = () => runtime.calls.filter((call) => call.operation === 'create').length;
  const touched = (operation: 'stop' | 'remove') =>
    runtime.calls.filter((call) => call.operation === operation).map((call) => call.id);
  /** The containers whose removal was logged for `why`, each as one info line for the operator. */
  const removedWhy = (why: string) =>
    logger
      .where({ action: 'pool', status: 'removed', why, imageType: 'busybox' })
      .filter((line) => line.level === 'info' && line.message === 'pool member removed')
      .map((line) => line.fields.containerId);
  /** A running container labelled as an idle member (this instance's unless said), made `agoMs` before now. */
  const strayMember = async (agoMs: number, imageType = 'busybox', instanceId = INSTANCE) => {
    const now = clock.now();
    clock.set(now - agoMs);
    const id = await runtime.create({
      name: `stray-${agoMs}`,
      image: IMAGE,
      cmd: ['sh'],
      labels: poolLabels(
        { imageType, imageId: 'sha256:stray', createdAt: clock.now(), idleCapAt: clock.now() + MAX_IDLE_MS },
        instanceId,
      ),
      limits: TEST_SETTINGS.container,
      capAdd: [],
    });
    await runtime.start(id);
    clock.set(now);
    return id;
  };
  const claim = (id: string) =>
    pool.claim(leaseDraft(id, clock.now(), { image: IMAGE }), {
      maxPerUser: 10,
      maxActive: 10,
      maxPerTeam: 0,
      provisionTimeoutMs: MINUTE_MS,
    });

  beforeEach(() => {
    clock = new ManualClock(START);
    runtime = new RegistryRuntime({ images: [IMAGE], now: () => clock.now() });
    leases = new InMemoryLeaseStore(clock, { warnBeforeMs: 0 });
    pool = new InMemoryPoolStore(leases, clock);
    lock = new SharedLock(clock);
    logger = new RecordingLogger();
    failures = [];
    claims = [];
    keeper = keeperOf(new Map([['busybox', 2]]));
  });

  afterEach(() => keeper.stop());

  describe('filling', () => {
    it('GIVEN POOL busybox=2 THEN a pass makes two running members as a lease’s container is made, labelled with their idle cap, claimable until two minutes before it', async () => {
      await keeper.keep();
      const imageId = await runtime.imageId(IMAGE);
      const made = runtime.running();
      expect(made).toHaveLength(2);
      for (const container of made) {
        expect(container.name).toMatch(/^pool-busybox-[0-9a-z]{10}$/);
        expect(container.spec).toMatchObject({
          image: IMAGE,
          cmd: BUSYBOX?.cmd,
          capAdd: BUSYBOX?.capAdd,
          limits: TEST_SETTINGS.container,
        });
        expect(container.spec.labels).toEqual(
          poolLabels(
            {
              imageType: 'busybox',
              imageId: imageId ?? '',
              createdAt: START,
              idleCapAt: START + MAX_IDLE_MS,
            },
            INSTANCE,
          ),
        );
      }
      expect(await pool.members('busybox')).toEqual(
        made
          .map((container) => ({
            containerId: container.id,
            claimableUntil: START + MAX_IDLE_MS - CLAIM_MARGIN_MS,
          }))
          .sort((a, b) => a.containerId.localeCompare(b.containerId)),
      );
      expect(await keeper.idleCounts()).toEqual(new Map([['busybox', 2]]));
      expect(keeper.problems()).toEqual([]);
      expect(failures).toEqual([]);
      // The image is here: no pull, which would ask the registry for nothing.
      expect(runtime.calls.filter((call) => call.operation === 'ensureImage')).toEqual([]);
    });

    it('GIVEN a warm pool THEN a provision takes a member, renamed to carry its lease, the claim is counted a hit, and the pool refills', async () => {
      await keeper.keep();
      const idle = await memberIds();
      const service = makeLeaseService({ store: leases, runtime, clock, instanceId: INSTANCE, pool: keeper });
      const lease = await service.provision(service.actor('local:alice'), {
        imageType: 'busybox',
        minutes: 30,
        notify: alice,
      });
      expect(idle).toContain(lease.containerId);
      expect(runtime.containers.get(lease.containerId)?.name).toMatch(new RegExp(`^lease-${lease.id}\\.`));
      expect(await pool.claimed()).toEqual(new Set([lease.containerId]));
      await eventually(async () => (await memberIds()).length === 2, 5_000, 'the refill');
      expect(await memberIds()).not.toContain(lease.containerId);
      expect(claims).toEqual([['busybox', true]]);
    });

    it('GIVEN a full pool THEN the next pass makes and removes nothing', async () => {
      await keeper.keep();
      clock.advance(MINUTE_MS);
      await keeper.keep();
      expect(created()).toBe(2);
      expect(touched('remove')).toEqual([]);
    });

    it('GIVEN POOL THEN the keeper keeps exactly the image types it names with a size above 0', () => {
      const some = keeperOf(
        new Map([
          ['busybox', 2],
          ['missing', 0],
        ]),
      );
      expect([some.keeps('busybox'), some.keeps('missing'), some.keeps('python')]).toEqual([
        true,
        false,
        false,
      ]);
    });

    it('GIVEN the image missing here THEN a pass pulls it and fills the pool', async () => {
      runtime.images.delete(IMAGE);
      await keeper.keep();
      expect(runtime.pulls).toBe(1);
      expect(await memberIds()).toHaveLength(2);
    });

    it('GIVEN a pull that ends without the image THEN the pool reports it and makes nothing', async () => {
      runtime.images.delete(IMAGE);
      runtime.pull = async () => {};
      await keeper.keep();
      expect(keeper.problems()).toEqual([
        `The warm pool of busybox cannot fill: the image ${IMAGE} did not arrive (1 failed attempts in a row; retrying).`,
      ]);
      expect(created()).toBe(0);
    });

    it('GIVEN the registry failing THEN the pool reports its error, pulls no more while it backs off, and then again', async () => {
      runtime.images.delete(IMAGE);
      runtime.pull = async () => {
        throw new ImageUnavailableError('the registry is down');
      };
      await keeper.keep();
      expect(keeper.problems()).toEqual([
        'The warm pool of busybox cannot fill: the registry is down (1 failed attempts in a row; retrying).',
      ]);
      expect(failures).toEqual(['busybox']);
      clock.advance(5_000 - 1);
      await keeper.keep();
      expect(runtime.pulls).toBe(1);
      clock.advance(1);
      await keeper.keep();
      expect(runtime.pulls).toBe(2);
    });
  });

  describe('when making a member fails', () => {
    it('GIVEN a failure that is not an Error THEN the pool still says what it was', async () => {
      runtime.images.delete(IMAGE);
      runtime.pull = async () => {
        throw 'the registry says no';
      };
      await keeper.keep();
      expect(keeper.problems()).toEqual([
        'The warm pool of busybox cannot fill: the registry says no (1 failed attempts in a row; retrying).',
      ]);
    });

    it('GIVEN creation failing THEN the pool backs off from 5 s, doubling up to 5 minutes, says so to /readyz and the metrics, and fills once it works', async () => {
      const waits = [5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000];
      runtime.failNext('create', new RuntimeUnavailableError('the engine is out'), waits.length);
      for (const [index, wait] of waits.entries()) {
        await keeper.keep();
        expect(created()).toBe(index + 1);
        expect(keeper.problems()).toEqual([
          `The warm pool of busybox cannot fill: the engine is out (${index + 1} failed attempts in a row; retrying).`,
        ]);
        clock.advance(wait - 1);
        await keeper.keep();
        expect(created()).toBe(index + 1);
        clock.advance(1);
      }
      await keeper.keep();
      expect(await memberIds()).toHaveLength(2);
      expect(keeper.problems()).toEqual([]);
      expect(failures).toEqual(waits.map(() => 'busybox'));
      expect(logger.where({ action: 'pool', status: 'failed' })).toEqual(
        waits.map((retryInMs, index) => ({
          level: 'warn',
          message: 'pool member could not be made; backing off',
          fields: {
            action: 'pool',
            imageType: 'busybox',
            status: 'failed',
            failures: index + 1,
            retryInMs,
            error: 'the engine is out',
          },
        })),
      );
    });

    it('GIVEN one member that cannot be made THEN the pass makes no more of that type until the backoff ends', async () => {
      runtime.failNext('create', new RuntimeUnavailableError('the engine is out'));
      await keeper.keep();
      expect(created()).toBe(1);
      expect(runtime.containers.size).toBe(0);
    });

    it('GIVEN a member that was made but did not start THEN it is removed, not left behind, and the start’s error is reported', async () => {
      runtime.failNext('start', new RuntimeUnavailableError('start failed'));
      await keeper.keep();
      expect(runtime.containers.size).toBe(0);
      expect(removedWhy('not made')).toHaveLength(1);
      expect(keeper.problems()[0]).toContain('start failed');
      expect(await memberIds()).toEqual([]);
    });

    it('GIVEN its removal failing too THEN the pass still ends, reporting the start’s error', async () => {
      runtime.failNext('start', new RuntimeUnavailableError('start failed'));
      runtime.failNext('remove', new RuntimeUnavailableError('remove failed'));
      await keeper.keep();
      expect(keeper.problems()[0]).toContain('start failed');
      expect(failures).toEqual(['busybox']);
    });

    it('GIVEN a member made whose reply was lost THEN a later pass removes it as unknown to Redis', async () => {
      runtime.failAfterNext('create', new RuntimeUnavailableError('the reply was lost'));
      await keeper.keep();
      const [lost] = containerIds();
      expect(lost).toBeDefined();
      clock.advance(5_000);
      await keeper.keep();
      expect(runtime.containers.has(lost as string)).toBe(false);
      expect(removedWhy('unknown to Redis')).toEqual([lost]);
      expect(await memberIds()).toHaveLength(2);
    });
  });

  describe('keeping', () => {
    it('GIVEN a member whose container vanished THEN it is forgotten, nothing is removed, and another is made', async () => {
      await keeper.keep();
      const [gone, stays] = await memberIds();
      runtime.vanish(gone as string);
      clock.advance(MINUTE_MS);
      await keeper.keep();
      const now = await memberIds();
      expect(now).toHaveLength(2);
      expect(now).toContain(stays);
      expect(now).not.toContain(gone);
      expect(touched('stop')).toEqual([]);
    });

    it('GIVEN members at the end of their claimable time THEN they are removed and replaced; a millisecond before, kept', async () => {
      await keeper.keep();
      const old = await memberIds();
      clock.set(START + MAX_IDLE_MS - CLAIM_MARGIN_MS - 1);
      await keeper.keep();
      expect(await memberIds()).toEqual(old);
      clock.advance(1);
      await keeper.keep();
      expect(removedWhy('idle too long').sort()).toEqual(old);
      for (const id of old) expect(runtime.containers.has(id)).toBe(false);
      expect(await memberIds()).toHaveLength(2);
    });

    it('GIVEN the image built anew THEN every member is replaced by one of the new image', async () => {
      await keeper.keep();
      const old = await memberIds();
      runtime.rebuild(IMAGE);
      clock.advance(MINUTE_MS);
      await keeper.keep();
      expect(removedWhy('image changed').sort()).toEqual(old);
      const imageId = await runtime.imageId(IMAGE);
      expect(runtime.running().map((container) => container.spec.labels[LABELS.poolImageId])).toEqual([
        imageId,
        imageId,
      ]);
    });

    it('GIVEN the image built anew while the pool backs off THEN the members it has are kept, not drained', async () => {
      await keeper.keep();
      const [gone, stays] = await memberIds();
      runtime.vanish(gone as string);
      runtime.failNext('create', new RuntimeUnavailableError('the engine is out'));
      clock.advance(MINUTE_MS);
      await keeper.keep();
      runtime.rebuild(IMAGE);
      clock.advance(1_000);
      await keeper.keep();
      expect(await memberIds()).toEqual([stays]);
      expect(runtime.containers.has(stays as string)).toBe(true);
    });

    it('GIVEN POOL lowered from 3 to 1 THEN the two not wanted are removed and the one nearest its cap stays', async () => {
      for (let index = 0; index < 3; index += 1) {
        await keeperOf(new Map([['busybox', index + 1]])).keep();
        clock.advance(MINUTE_MS);
      }
      const [first, ...rest] = await memberIds();
      await keeperOf(new Map([['busybox', 1]])).keep();
      expect(await memberIds()).toEqual([first]);
      expect(removedWhy('not wanted').sort()).toEqual(rest.sort());
      expect(runtime.running().map((container) => container.id)).toEqual([first]);
    });

    it('GIVEN POOL empty THEN every member is drained and no image is looked for', async () => {
      await keeper.keep();
      const old = await memberIds();
      runtime.images.delete(IMAGE);
      await keeperOf(new Map()).keep();
      expect(runtime.containers.size).toBe(0);
      expect(await memberIds()).toEqual([]);
      expect(removedWhy('not wanted').sort()).toEqual(old);
      expect(runtime.pulls).toBe(0);
    });

    it('GIVEN members of an image type POOL no longer names, beside one it does THEN those are drained', async () => {
      const old = await strayMember(MINUTE_MS, 'python');
      await pool.add('python', { containerId: old, claimableUntil: START + MAX_IDLE_MS });
      await keeper.keep();
      expect(runtime.containers.has(old)).toBe(false);
      expect(await memberIds('python')).toEqual([]);
      expect(await memberIds('busybox')).toHaveLength(2);
    });

    it('GIVEN an idle member Redis does not know THEN it is removed once a second old; a younger one may be another keeper’s, and stays', async () => {
      const unknown = await strayMember(1_000);
      const young = await strayMember(999);
      await keeper.keep();
      expect(runtime.containers.has(unknown)).toBe(false);
      expect(removedWhy('unknown to Redis')).toEqual([unknown]);
      expect(runtime.containers.has(young)).toBe(true);
    });

    it('GIVEN another installation’s idle member on the same engine THEN no pass touches it', async () => {
      const theirs = await strayMember(MINUTE_MS, 'busybox', 'another-installation');
      await keeper.keep();
      expect(runtime.containers.has(theirs)).toBe(true);
      expect(touched('stop')).toEqual([]);
    });

    it('GIVEN a member claimed but not yet renamed THEN no pass removes it, and the pool refills beside it', async () => {
      await keeper.keep();
      const taken = await claim('lease00001');
      clock.advance(MINUTE_MS);
      await keeper.keep();
      expect(runtime.containers.has(taken)).toBe(true);
      expect(await memberIds()).not.toContain(taken);
      expect(await memberIds()).toHaveLength(2);
    });

    it('GIVEN a claim that takes a member the pass was replacing THEN the container is left to its lease', async () => {
      await keeper.keep();
      const [member] = await memberIds();
      const take = pool.take.bind(pool);
      pool.take = async (imageType, containerId) => {
        if (containerId === member) await claim('lease00002');
        return take(imageType, containerId);
      };
      runtime.rebuild(IMAGE);
      clock.advance(MINUTE_MS);
      await keeper.keep();
      expect(runtime.containers.has(member as string)).toBe(true);
      expect(await pool.claimed()).toEqual(new Set([member]));
    });

    it('GIVEN claimed containers THEN those gone are forgotten and those still there are kept', async () => {
      await keeper.keep();
      const ended = await claim('lease00003');
      const running = await claim('lease00004');
      runtime.vanish(ended);
      clock.advance(MINUTE_MS);
      await keeper.keep();
      expect(await pool.claimed()).toEqual(new Set([running]));
    });
  });

  describe('one pass at a time', () => {
    it('GIVEN another instance holding the pool lock THEN a pass does nothing', async () => {
      const held = await lock.acquire('pool', MINUTE_MS);
      await keeper.keep();
      expect(runtime.calls).toEqual([]);
      expect(await lock.release('pool', held as string)).toBe(true);
    });

    it('GIVEN a pass done, or failed THEN it frees the lock', async () => {
      await keeper.keep();
      const next = await lock.acquire('pool', MINUTE_MS);
      expect(next).not.toBeNull();
      await lock.release('pool', next as string);
      runtime.failNext('list', new RuntimeUnavailableError('the engine is out'));
      await expect(keeper.keep()).rejects.toThrow('the engine is out');
      expect(await lock.acquire('pool', MINUTE_MS)).not.toBeNull();
    });

    it('GIVEN a pull taking nine minutes THEN the pass holds the lock through it, and another instance skips', async () => {
      runtime.images.delete(IMAGE);
      const other = keeperOf(new Map([['busybox', 2]]));
      let listsDuringPull = 0;
      runtime.pull = async (image) => {
        clock.advance(9 * MINUTE_MS);
        const before = runtime.calls.length;
        await other.keep();
        listsDuringPull = runtime.calls.length - before;
        runtime.images.add(image);
      };
      await keeper.keep();
      expect(listsDuringPull).toBe(0);
      expect(await memberIds()).toHaveLength(2);
    });

    it('GIVEN a claim THEN the metrics count it and a pass refills the pool', async () => {
      keeper.claimed('busybox', true);
      keeper.claimed('busybox', false);
      await eventually(async () => (await memberIds()).length === 2, 5_000, 'the refill');
      expect(claims).toEqual([
        ['busybox', true],
        ['busybox', false],
      ]);
    });

    it('GIVEN a pass asked for during one THEN another follows it; stopping cancels the one to follow', async () => {
      const lists = () => runtime.calls.filter((call) => call.operation === 'list').length;
      keeper.refillSoon();
      keeper.refillSoon();
      keeper.refillSoon();
      await eventually(() => lists() === 2, 5_000, 'the second pass');
      await keeper.stop();
      keeper.refillSoon();
      keeper.refillSoon();
      await keeper.stop();
      for (let index = 0; index < 10; index += 1) await tick();
      expect(lists()).toBe(3);
    });

    it('GIVEN a pass that fails THEN it is logged as an error and the next one works', async () => {
      runtime.failNext('list', new RuntimeUnavailableError('the engine is out'));
      keeper.refillSoon();
      await eventually(() => logger.errors.length === 1, 5_000, 'the error');
      expect(logger.lines).toEqual([
        {
          level: 'error',
          message: 'pool pass failed; the next one retries',
          fields: { action: 'pool', error: 'the engine is out' },
        },
      ]);
      keeper.refillSoon();
      await eventually(async () => (await memberIds()).length === 2, 5_000, 'the refill');
    });

    it('GIVEN started THEN a pass runs at once and then every interval, until stopped', async () => {
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      try {
        keeper.start(60_000);
        await eventually(async () => (await memberIds()).length === 2, 5_000, 'the first pass');
        const [gone] = await memberIds();
        runtime.vanish(gone as string);
        clock.advance(MINUTE_MS);
        vi.advanceTimersByTime(60_000);
        await eventually(async () => created() === 3, 5_000, 'the interval’s pass');
        await keeper.stop();
        runtime.vanish((await memberIds())[0] as string);
        vi.advanceTimersByTime(120_000);
        for (let index = 0; index < 10; index += 1) await tick();
        expect(created()).toBe(3);
      } finally {
        vi.useRealTimers();
      }
    });
  });
});
