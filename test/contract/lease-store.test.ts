import { describe } from 'vitest';
import { InMemoryLeaseStore } from '../doubles/in-memory-lease-store.js';
import { ManualClock } from '../doubles/manual-clock.js';
import { describeWith, openTestAdapters, uniquePrefix } from '../support/services.js';
import { leaseStoreContract, redisStoreUnderTest } from './lease-store.contract.js';

describeWith({ redis: true })('RedisLeaseStore keeps the LeaseStore contract on real Redis', () => {
  leaseStoreContract(async (warnBeforeMs) => {
    const prefix = uniquePrefix();
    const adapters = openTestAdapters(prefix, { warnBeforeMs });
    return redisStoreUnderTest(adapters, prefix);
  });
});

describe('InMemoryLeaseStore (the unit-test double) keeps the LeaseStore contract', () => {
  leaseStoreContract(async (warnBeforeMs) => {
    const clock = new ManualClock(Date.parse('2026-11-29T12:00:00Z'));
    const store = new InMemoryLeaseStore(clock, { warnBeforeMs });
    return {
      store,
      audit: store.audit,
      advance: async (ms) => clock.advance(ms),
      notices: async () => [...store.notices],
      close: async () => {},
    };
  });
});
