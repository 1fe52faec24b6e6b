import { afterEach, expect, it } from 'vitest';
import { LABELS } from '../../src/core/domain/container-labels.js';
import { MINUTE_MS } from '../../src/core/domain/lease.js';
import { RuntimeUnavailableError } from '../../src/core/errors.js';
import { CLAIM_MARGIN_MS } from '../../src/core/services/pool-keeper.js';
import { FakeRuntime } from '../doubles/fake-runtime.js';
import { ManualClock } from '../doubles/manual-clock.js';
import { alice } from '../support/lease-service-fixture.js';
import { makePoolFixture } from '../support/pool-fixture.js';
import { describeWith, TEST_IMAGE } from '../support/services.js';

describeWith({ redis: true })('the pool keeper on real Redis, with an engine in memory', () => {
  let fixture: ReturnType<typeof makePoolFixture>;
  let clock: ManualClock;
  let runtime: FakeRuntime;
  const failures: string[] = [];

  const setUp = (options: { sizes?: ReadonlyMap<string, number> } = {}) => {
    // Now: claims judge whether a member is still claimable by Redis's own clock.
    clock = new ManualClock(Date.now());
    runtime = new FakeRuntime({ images: [TEST_IMAGE], now: () => clock.now() });
    fixture = makePoolFixture({
      clock,
      runtime,
      ...options,
      metrics: { poolClaimed() {}, poolRefillFailed: (image) => failures.push(image) },
    });
  };
  const memberIds = async () => (await fixture.adapters.pool.members('busybox')).map((m) => m.containerId);
  const running = () => runtime.running().map((container) => container.id);

  afterEach(async () => {
    failures.length = 0;
    await fixture.close();
  });

  it('GIVEN creation failing THEN the pool backs off, doubling, reports it to /readyz and the metrics, and fills once it works', async () => {
    setUp();
    runtime.failNext('create', new RuntimeUnavailableError('the engine is out'), 2);
    await fixture.pool.keep();
    expect(failures).toEqual(['busybox']);
    expect(fixture.pool.problems()).toEqual([
      'The warm pool of busybox cannot fill: the engine is out (1 failed attempts in a row; retrying).',
    ]);
    await fixture.pool.keep();
    expect(failures).toEqual(['busybox']);
    clock.advance(5_000);
    await fixture.pool.keep();
    expect(failures).toEqual(['busybox', 'busybox']);
    clock.advance(9_999);
    await fixture.pool.keep();
    expect(await memberIds()).toEqual([]);
    clock.advance(1);
    await fixture.pool.keep();
    expect(await memberIds()).toHaveLength(2);
    expect(fixture.pool.problems()).toEqual([]);
  });

  it('GIVEN a member that started but could not be recorded THEN it is removed, not left running', async () => {
    setUp();
    runtime.failNext('start', new RuntimeUnavailableError('the engine is out'));
    await fixture.pool.keep();
    expect(running()).toEqual([]);
    expect(runtime.containers.size).toBe(0);
  });

  it('GIVEN the image built anew THEN every member is replaced by one of the new image', async () => {
    setUp();
    await fixture.pool.keep();
    const old = await memberIds();
    runtime.rebuild(TEST_IMAGE);
    clock.advance(MINUTE_MS);
    await fixture.pool.keep();
    const now = await memberIds();
    expect(now).toHaveLength(2);
    for (const id of old) {
      expect(now).not.toContain(id);
      expect(runtime.containers.has(id)).toBe(false);
    }
  });

  it('GIVEN members near their idle cap THEN they are replaced before any claim could take them', async () => {
    setUp();
    await fixture.pool.keep();
    const old = await memberIds();
    clock.advance(60 * MINUTE_MS - CLAIM_MARGIN_MS);
    await fixture.pool.keep();
    const now = await memberIds();
    expect(now).toHaveLength(2);
    for (const id of old) expect(runtime.containers.has(id)).toBe(false);
  });

  it('GIVEN POOL no longer naming an image type THEN its members are drained', async () => {
    setUp();
    await fixture.pool.keep();
    expect(running()).toHaveLength(2);
    clock.advance(MINUTE_MS);
    await fixture.keeper(new Map()).keep();
    expect(running()).toEqual([]);
    expect(await memberIds()).toEqual([]);
  });

  it('GIVEN POOL busybox=3 lowered to 1 THEN the two it no longer wants are removed', async () => {
    setUp({ sizes: new Map([['busybox', 3]]) });
    await fixture.pool.keep();
    expect(running()).toHaveLength(3);
    await fixture.keeper(new Map([['busybox', 1]])).keep();
    expect(running()).toHaveLength(1);
    expect(await memberIds()).toEqual(running());
  });

  it('GIVEN a claimed member THEN it never returns to the pool, and is forgotten once removed', async () => {
    setUp();
    await fixture.pool.keep();
    const lease = await fixture.leases.provision(fixture.leases.actor('local:alice'), {
      imageType: 'busybox',
      minutes: 30,
      notify: alice,
    });
    await fixture.pool.stop();
    clock.advance(MINUTE_MS);
    await fixture.pool.keep();
    expect(await memberIds()).not.toContain(lease.containerId);
    expect(await fixture.adapters.pool.claimed()).toEqual(new Set([lease.containerId]));
    const container = runtime.containers.get(lease.containerId);
    expect(container?.name).toMatch(new RegExp(`^lease-${lease.id}\\.`));
    expect(container?.spec.labels[LABELS.pool]).toBe('busybox');
    await fixture.leases.stop(fixture.leases.actor('local:alice'), lease.id);
    await fixture.pool.keep();
    expect(await fixture.adapters.pool.claimed()).toEqual(new Set());
  });
});
