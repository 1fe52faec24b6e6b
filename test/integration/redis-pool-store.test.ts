import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Adapters } from '../../src/composition/adapters.js';
import { MINUTE_MS } from '../../src/core/domain/lease.js';
import { aliceLease } from '../support/new-lease.js';
import { describeWith, flushPrefix, openTestAdapters, uniquePrefix } from '../support/services.js';

const limits = { maxPerUser: 1, maxActive: 50, maxPerTeam: 0, provisionTimeoutMs: 10 * MINUTE_MS };

/** The warm pools' records on Redis, without containers: what the pool keeper and a claim rely on. */
describeWith({ redis: true })('RedisPoolStore on real Redis', () => {
  let prefix: string;
  let adapters: Adapters;
  let now: number;

  const draft = (id: string) => aliceLease(id, now);

  beforeEach(async () => {
    prefix = uniquePrefix();
    adapters = openTestAdapters(prefix);
    now = await adapters.store.serverTime();
  });

  afterEach(async () => {
    await flushPrefix(adapters.redis, prefix);
    await adapters.close();
  });

  it('GIVEN members THEN they are listed soonest-unclaimable first, and a claim takes a claimable one into its lease, once', async () => {
    const { pool, store } = adapters;
    await pool.add('busybox', { containerId: 'c-late', claimableUntil: now + 20 * MINUTE_MS });
    await pool.add('busybox', { containerId: 'c-soon', claimableUntil: now + 10 * MINUTE_MS });
    await pool.add('busybox', { containerId: 'c-stale', claimableUntil: now - 1 });
    expect(await pool.members('busybox')).toEqual([
      { containerId: 'c-stale', claimableUntil: now - 1 },
      { containerId: 'c-soon', claimableUntil: now + 10 * MINUTE_MS },
      { containerId: 'c-late', claimableUntil: now + 20 * MINUTE_MS },
    ]);
    expect(await pool.claim(draft('pooled0001'), limits)).toBe('c-soon');
    expect((await store.get('pooled0001'))?.containerId).toBe('c-soon');
    expect([...(await pool.claimed())]).toEqual(['c-soon']);
    expect((await pool.members('busybox')).map((member) => member.containerId)).toEqual([
      'c-stale',
      'c-late',
    ]);
  });

  it('GIVEN an owner at the quota THEN the claim is refused naming the limit, and the member stays in the pool', async () => {
    const { pool } = adapters;
    await pool.add('busybox', { containerId: 'c-idle', claimableUntil: now + 10 * MINUTE_MS });
    await pool.claim(draft('pooled0002'), { ...limits, maxPerUser: 2 });
    await pool.add('busybox', { containerId: 'c-next', claimableUntil: now + 10 * MINUTE_MS });
    await expect(pool.claim(draft('pooled0003'), { ...limits, maxPerUser: 1 })).rejects.toMatchObject({
      code: 'quota_exceeded',
      message: expect.stringContaining('You already hold 1 leases'),
    });
    expect((await pool.members('busybox')).map((member) => member.containerId)).toEqual(['c-next']);
  });

  it('GIVEN an idle member taken out for removal THEN take says so once, and a claim finds none', async () => {
    const { pool } = adapters;
    await pool.add('busybox', { containerId: 'c-expiring', claimableUntil: now + 10 * MINUTE_MS });
    expect(await pool.take('busybox', 'c-expiring')).toBe(true);
    expect(await pool.take('busybox', 'c-expiring')).toBe(false);
    expect(await pool.claim(draft('pooled0004'), limits)).toBe('');
  });

  it('GIVEN claimed members gone THEN forgetting them leaves the others, and forgetting none is fine', async () => {
    const { pool } = adapters;
    for (const containerId of ['c-one', 'c-two'])
      await pool.add('busybox', { containerId, claimableUntil: now + 10 * MINUTE_MS });
    await pool.claim(draft('pooled0005'), { ...limits, maxPerUser: 2 });
    await pool.claim(draft('pooled0006'), { ...limits, maxPerUser: 2 });
    await pool.forgetClaimed([]);
    expect(await pool.claimed()).toEqual(new Set(['c-one', 'c-two']));
    await pool.forgetClaimed(['c-one']);
    expect(await pool.claimed()).toEqual(new Set(['c-two']));
  });
});
