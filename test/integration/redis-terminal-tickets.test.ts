import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { RedisKeys } from '../../src/core/adapters/redis/keys.js';
import { RedisTerminalTickets } from '../../src/core/adapters/redis/redis-terminal-tickets.js';
import { describeWith, flushPrefix, testRedis, uniquePrefix } from '../support/services.js';

describeWith({ redis: true })('terminal tickets on real Redis', () => {
  let redis: Redis;
  let prefix: string;
  let tickets: RedisTerminalTickets;

  beforeEach(() => {
    redis = testRedis();
    prefix = uniquePrefix();
    tickets = new RedisTerminalTickets(redis, new RedisKeys(prefix));
  });

  afterEach(async () => {
    await flushPrefix(redis, prefix);
    redis.disconnect();
  });

  it('GIVEN two tickets THEN each lets in its own grant, once', async () => {
    const mine = await tickets.issue({ leaseId: 'lease00001', owner: 'local:alice' }, 60_000);
    const bobs = await tickets.issue({ leaseId: 'lease00002', owner: 'local:bob' }, 60_000);
    expect(await tickets.redeem(bobs)).toEqual({ leaseId: 'lease00002', owner: 'local:bob' });
    expect(await tickets.redeem(mine)).toEqual({ leaseId: 'lease00001', owner: 'local:alice' });
    expect(await tickets.redeem(mine)).toBeNull();
    expect(await tickets.redeem(bobs)).toBeNull();
  });

  it('GIVEN a ticket issued THEN Redis holds its SHA-256 for its time to live, never the ticket itself', async () => {
    const ticket = await tickets.issue({ leaseId: 'lease00003', owner: 'local:alice' }, 60_000);
    const key = new RedisKeys(prefix).ticket(createHash('sha256').update(ticket).digest('hex'));
    expect(await redis.keys(`${prefix}*`)).toEqual([key]);
    expect(await redis.pttl(key)).toBeGreaterThan(50_000);
  });

  it('GIVEN something that is not a ticket THEN it is refused without asking Redis, even when Redis is gone', async () => {
    const ticket = await tickets.issue({ leaseId: 'lease00004', owner: 'local:alice' }, 60_000);
    redis.disconnect();
    for (const malformed of ['', ticket.slice(1), `${ticket}!`, `!${ticket}`, `${ticket.slice(1)}.`])
      expect(await tickets.redeem(malformed)).toBeNull();
    redis = testRedis();
  });
});
