import { describe } from 'vitest';
import { InMemoryLeaseStore } from '../doubles/in-memory-lease-store.js';
import { ManualClock } from '../doubles/manual-clock.js';
import { leaseStoreContract } from './lease-store.contract.js';

describe('InMemoryLeaseStore (the unit-test double) keeps the LeaseStore contract', () => {
  leaseStoreContract(async (warnBeforeMs) => {
    const clock = new ManualClock(Date.parse('2026-11-29T12:00:00Z'));
    const store = new InMemoryLeaseStore(clock, { warnBeforeMs });
    return {
      store,
      advance: async (ms) => clock.advance(ms),
      notices: async () => [...store.notices],
      close: async () => {},
    };
  });
});
