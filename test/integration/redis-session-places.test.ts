import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisKeys } from '../../src/core/adapters/redis/keys.js';
import { RedisSessionSlots } from '../../src/core/adapters/redis/redis-session-slots.js';
import { RedisTerminalTickets } from '../../src/core/adapters/redis/redis-terminal-tickets.js';
import { MINUTE_MS } from '../../src/core/domain/lease.js';
import { describeWith, flushPrefix, testRedis, uniquePrefix } from '../support/services.js';

describeWith({ redis: true })('Terminal places and tickets in Redis, shared by every instance', () => {
  const prefix = uniquePrefix();
  const keys = new RedisKeys(prefix);
  let one: Redis;
  let two: Redis;
  beforeAll(() => {
    one = testRedis();
    two = testRedis();
  });
  afterAll(async () => {
    await flushPrefix(one, prefix);
    one.disconnect();
    two.disconnect();
  });

  it('GIVEN two instances taking places on one lease at once THEN exactly the maximum get one, and a place given back is free again', async () => {
    const replicas = [new RedisSessionSlots(one, keys), new RedisSessionSlots(two, keys)];
    const taken = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        replicas[i % 2]?.take('terminal', 'lease00001', `holder-${i}`, 3, MINUTE_MS),
      ),
    );
    expect(taken.filter(Boolean)).toHaveLength(3);
    const holder = `holder-${taken.indexOf(true)}`;
    expect(await replicas[1]?.take('terminal', 'lease00001', holder, 3, MINUTE_MS)).toBe(true);
    await replicas[0]?.release('terminal', 'lease00001', holder);
    expect(await replicas[1]?.take('terminal', 'lease00001', 'late', 3, MINUTE_MS)).toBe(true);
    expect(await replicas[1]?.take('exec', 'lease00001', 'command', 1, MINUTE_MS)).toBe(true);
  });

  it('GIVEN an instance that died holding a place THEN the place expires by Redis’s clock, and so does the key', async () => {
    const slots = new RedisSessionSlots(one, keys);
    expect(await slots.take('exec', 'lease00002', 'dead', 1, 200)).toBe(true);
    expect(await slots.take('exec', 'lease00002', 'next', 1, 200)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await slots.take('exec', 'lease00002', 'next', 1, 200)).toBe(true);
    expect(await one.pttl(keys.sessions('exec', 'lease00002'))).toBeGreaterThan(0);
  });

  it('GIVEN a ticket THEN it is good once, on any instance, kept only by its hash, and it expires', async () => {
    const issuer = new RedisTerminalTickets(one, keys);
    const redeemer = new RedisTerminalTickets(two, keys);
    const ticket = await issuer.issue({ leaseId: 'lease00003', owner: 'api:ci' }, MINUTE_MS);
    expect(await one.keys(`${keys.base.replace(/[{}]/g, '\\$&')}ticket:*`)).not.toContainEqual(
      expect.stringContaining(ticket),
    );
    const both = await Promise.all([redeemer.redeem(ticket), issuer.redeem(ticket)]);
    expect(both.filter(Boolean)).toEqual([{ leaseId: 'lease00003', owner: 'api:ci' }]);
    const short = await issuer.issue({ leaseId: 'lease00003', owner: 'api:ci' }, 100);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await redeemer.redeem(short)).toBeNull();
    expect(await redeemer.redeem('not a ticket')).toBeNull();
  });
});
