import type { Redis } from 'ioredis';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { RedisKeys } from '../../src/core/adapters/redis/keys.js';
import { RedisLeaseStore } from '../../src/core/adapters/redis/redis-lease-store.js';
import { MINUTE_MS } from '../../src/core/domain/lease.js';
import { aliceLease } from '../support/new-lease.js';
import { describeWith, flushPrefix, testRedis, uniquePrefix } from '../support/services.js';

const limits = { maxPerUser: 5, maxActive: 50, maxPerTeam: 0, provisionTimeoutMs: 10 * MINUTE_MS };

/** What the Redis store does that the contract (which also runs the in-memory double) cannot reach. */
describeWith({ redis: true })('RedisLeaseStore on real Redis, beyond the store contract', () => {
  let redis: Redis;
  let prefix: string;
  let keys: RedisKeys;

  /** The last command Redis ran for the connection `id`, as CLIENT LIST shows it. */
  const lastCommandOf = async (id: number) =>
    /\bcmd=(\S+)/.exec(String(await redis.client('LIST', 'ID', id)))?.[1];

  beforeEach(() => {
    redis = testRedis();
    prefix = uniquePrefix();
    keys = new RedisKeys(prefix);
  });

  afterEach(async () => {
    await flushPrefix(redis, prefix);
    redis.disconnect();
  });

  it("GIVEN REDIS's TIME THEN serverTime is the same instant in epoch milliseconds", async () => {
    const store = new RedisLeaseStore(redis, keys, { warnBeforeMs: 0 });
    const before = await store.serverTime();
    const [seconds, micros] = await redis.time();
    const after = await store.serverTime();
    const time = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    expect(before).toBeLessThanOrEqual(time);
    expect(after).toBeGreaterThanOrEqual(time);
    expect(after - before).toBeLessThan(MINUTE_MS);
  });

  it('GIVEN replicas to wait for (Sentinel) THEN an activation and an extension end with WAIT, a create does not', async () => {
    const connection = testRedis();
    try {
      const store = new RedisLeaseStore(connection, keys, {
        warnBeforeMs: 0,
        replicaAcks: { replicas: 1, timeoutMs: 1 },
      });
      const id = Number(await connection.client('ID'));
      const now = await store.serverTime();
      await store.create(aliceLease('waited0001', now), limits);
      expect(await lastCommandOf(id)).toMatch(/^eval/);
      await store.activate('waited0001', 'c-waited', now + 30 * MINUTE_MS);
      expect(await lastCommandOf(id)).toBe('wait');
      await store.create(aliceLease('waited0002', now), limits);
      await store.extend('waited0001', MINUTE_MS, 'local:alice');
      expect(await lastCommandOf(id)).toBe('wait');
    } finally {
      connection.disconnect();
    }
  });

  it('GIVEN a listed id whose record is gone (deleted between the two reads) THEN the listing skips it', async () => {
    const store = new RedisLeaseStore(redis, keys, { warnBeforeMs: 0 });
    const now = await store.serverTime();
    await store.create(aliceLease('present001', now), limits);
    await redis.zadd(keys.expiry(), now, 'vanished01');
    expect((await store.listAll()).map((lease) => lease.id)).toEqual(['present001']);
  });

  it('GIVEN a lease key Redis cannot read as a hash THEN the listing fails with Redis’s own error, not a made-up one', async () => {
    const store = new RedisLeaseStore(redis, keys, { warnBeforeMs: 0 });
    const now = await store.serverTime();
    await redis.zadd(keys.expiry(), now, 'garbled001');
    await redis.set(keys.lease('garbled001'), 'not a hash');
    await expect(store.listAll()).rejects.toThrow(/WRONGTYPE/);
  });
});
