import { afterAll, afterEach, expect, it } from 'vitest';
import { RedisKeys } from '../../src/core/adapters/redis/keys.js';
import { RedisLock } from '../../src/core/adapters/redis/redis-lock.js';
import { describeWith, flushPrefix, testRedis, uniquePrefix } from '../support/services.js';

describeWith({ redis: true })('The cleanup lock in Redis', () => {
  const redis = testRedis();
  const prefix = uniquePrefix();
  const keys = new RedisKeys(prefix);
  const lock = new RedisLock(redis, keys);
  afterEach(() => flushPrefix(redis, prefix));
  afterAll(() => redis.disconnect());

  it('GIVEN a held lock THEN no one else gets it; a stranger cannot release it, its holder can', async () => {
    const held = await lock.acquire('cleanup', 60_000);
    expect(held).toEqual(expect.any(String));
    expect(await lock.acquire('cleanup', 60_000)).toBeNull();
    expect(await lock.acquire('other', 60_000)).toEqual(expect.any(String));
    expect(await lock.release('cleanup', 'not-the-holder')).toBe(false);
    expect(await lock.acquire('cleanup', 60_000)).toBeNull();
    expect(await lock.release('cleanup', held as string)).toBe(true);
    const next = await lock.acquire('cleanup', 60_000);
    expect(next).toEqual(expect.any(String));
    expect(next).not.toBe(held);
  });

  it('GIVEN a holder that never releases THEN its lock carries its lifetime; once lapsed another takes it, and the old release cannot end that', async () => {
    const held = await lock.acquire('cleanup', 60_000);
    const ttl = await redis.pttl(keys.lock('cleanup'));
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await redis.pexpire(keys.lock('cleanup'), 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const next = await lock.acquire('cleanup', 60_000);
    expect(next).toEqual(expect.any(String));
    // The old holder's release no longer ends the new holder's lock.
    expect(await lock.release('cleanup', held as string)).toBe(false);
    expect(await lock.acquire('cleanup', 60_000)).toBeNull();
  });
});
