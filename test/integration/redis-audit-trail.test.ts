import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Adapters } from '../../src/composition/adapters.js';
import { DAY_MS } from '../../src/core/domain/audit.js';
import { MINUTE_MS } from '../../src/core/domain/lease.js';
import { leaseDraft } from '../support/drafts.js';
import { codeOf } from '../support/outcomes.js';
import { describeWith, flushPrefix, openTestAdapters, uniquePrefix } from '../support/services.js';

const limits = { maxPerUser: 3, maxActive: 50, maxPerTeam: 0, provisionTimeoutMs: 10 * MINUTE_MS };

describeWith({ redis: true })(
  'The audit stream on real Redis: trimmed by age, written with the change or not at all',
  () => {
    let prefix: string;
    let adapters: Adapters;

    beforeEach(() => {
      prefix = uniquePrefix();
      adapters = openTestAdapters(prefix, { auditRetentionMs: DAY_MS });
    });

    afterEach(async () => {
      await flushPrefix(adapters.redis, prefix);
      await adapters.close();
    });

    it('GIVEN entries older than AUDIT_RETENTION_DAYS THEN the next change trims them (whole stream nodes), never a recent one', async () => {
      const { redis, keys, store } = adapters;
      const now = await store.serverTime();
      const old = now - 2 * DAY_MS;
      const pipeline = redis.pipeline();
      for (let i = 1; i <= 300; i += 1)
        pipeline.xadd(keys.audit(), `${old}-${i}`, 'action', 'provision', 'lease', 'old');
      await pipeline.exec();
      await redis.xadd(keys.audit(), `${now - 60 * MINUTE_MS}-0`, 'action', 'provision', 'lease', 'recent');
      await store.create(leaseDraft('trimmed001', now), limits);
      const left = await redis.xrange(keys.audit(), '-', '+');
      const leases = left.map(([, fields]) => fields[fields.indexOf('lease') + 1]);
      expect(leases.filter((lease) => lease === 'old').length).toBeLessThan(300);
      expect(leases.slice(-2)).toEqual(['recent', 'trimmed001']);
    });

    it('GIVEN an audit key Redis cannot append to THEN create fails and writes no lease at all', async () => {
      const { redis, keys, store } = adapters;
      await redis.set(keys.audit(), 'not a stream');
      const now = await store.serverTime();
      expect(await codeOf(store.create(leaseDraft('unwritten1', now), limits))).toBe('internal');
      expect(await store.get('unwritten1')).toBeNull();
      expect(await store.count()).toBe(0);
      expect(await redis.scard(keys.owner('local:alice'))).toBe(0);
    });
  },
);
