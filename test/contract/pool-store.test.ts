import { describe } from 'vitest';
import { InMemoryLeaseStore } from '../doubles/in-memory-lease-store.js';
import { InMemoryPoolStore } from '../doubles/in-memory-pool-store.js';
import { ManualClock } from '../doubles/manual-clock.js';
import { describeWith, flushPrefix, openTestAdapters, uniquePrefix } from '../support/services.js';
import { poolStoreContract } from './pool-store.contract.js';

describeWith({ redis: true })('RedisPoolStore keeps the PoolStore contract on real Redis', () => {
  poolStoreContract(async () => {
    const prefix = uniquePrefix();
    const adapters = openTestAdapters(prefix);
    return {
      pool: adapters.pool,
      leases: adapters.store,
      now: () => Date.now(),
      close: async () => {
        await flushPrefix(adapters.redis, prefix);
        await adapters.close();
      },
    };
  });
});

describe('InMemoryPoolStore (the unit-test double) keeps the PoolStore contract', () => {
  poolStoreContract(async () => {
    const clock = new ManualClock(Date.parse('2026-11-29T12:00:00Z'));
    const leases = new InMemoryLeaseStore(clock, { warnBeforeMs: 0 });
    return {
      pool: new InMemoryPoolStore(leases, clock),
      leases,
      now: () => clock.now(),
      close: async () => {},
    };
  });
});
