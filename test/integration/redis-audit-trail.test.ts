import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Adapters } from '../../src/composition/adapters.js';
import { DAY_MS } from '../../src/core/domain/audit.js';
import { MINUTE_MS } from '../../src/core/domain/lease.js';
import { aliceLease } from '../support/new-lease.js';
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
      await store.create(aliceLease('trimmed001', now), limits);
      const left = await redis.xrange(keys.audit(), '-', '+');
      const leases = left.map(([, fields]) => fields[fields.indexOf('lease') + 1]);
      expect(leases.filter((lease) => lease === 'old').length).toBeLessThan(300);
      expect(leases.slice(-2)).toEqual(['recent', 'trimmed001']);
    });

    /** Appends raw entries at `at`-1, `at`-2, … as the scripts write them (fields in pairs). */
    const appendRaw = async (at: number, entries: ReadonlyArray<Record<string, string>>) => {
      const pipeline = adapters.redis.pipeline();
      for (const [index, fields] of entries.entries())
        pipeline.xadd(adapters.keys.audit(), `${at}-${index + 1}`, ...Object.entries(fields).flat());
      await pipeline.exec();
      return entries.map((_, index) => `${at}-${index + 1}`);
    };
    const byOwner = (owner: string) => ({
      actor: owner,
      platform: 'local',
      action: 'extend',
      lease: 'lease00001',
      owner,
      team: 'local',
      image: 'busybox',
      params: '{"minutes":5}',
      outcome: 'extended',
    });

    it('GIVEN more entries than one read takes (500) THEN a query returns each once, in order, and pages on where its limit stops', async () => {
      const now = await adapters.store.serverTime();
      const ids = await appendRaw(
        now,
        Array.from({ length: 600 }, () => byOwner('local:alice')),
      );
      const all = await adapters.audit.query({ limit: 1000 });
      expect(all.entries.map((entry) => entry.id)).toEqual(ids);
      expect(all.next).toBeUndefined();
      const first = await adapters.audit.query({ limit: 550 });
      expect(first.next).toBe(ids[549]);
      const rest = await adapters.audit.query({ limit: 1000, after: first.next });
      expect(rest.entries.map((entry) => entry.id)).toEqual(ids.slice(550));
    });

    it('GIVEN a filter that matches nothing in the first 20,000 entries THEN the page ends there with next, and the next page finds the match', async () => {
      const now = await adapters.store.serverTime();
      const others = await appendRaw(
        now - 1,
        Array.from({ length: 20_000 }, () => byOwner('local:bob')),
      );
      const [rare] = await appendRaw(now, [byOwner('local:rare')]);
      const first = await adapters.audit.query({ owner: 'local:rare', limit: 10 });
      expect(first).toEqual({ entries: [], next: others.at(-1) });
      const second = await adapters.audit.query({ owner: 'local:rare', limit: 10, after: first.next });
      expect(second.entries.map((entry) => entry.id)).toEqual([rare]);
      expect(second.next).toBeUndefined();
    });

    it('GIVEN entries with params that are not a JSON object, or fields missing THEN each reads with no params and empty fields, never failing the page', async () => {
      const now = await adapters.store.serverTime();
      const odd = ['null', '[1,2]', '"text"', '7', 'not json', '{"minutes":5}'];
      await appendRaw(now, [
        ...odd.map((params) => ({ ...byOwner('local:alice'), params })),
        { lease: 'bare' },
      ]);
      const { entries } = await adapters.audit.query({ limit: 100 });
      expect(entries.map((entry) => entry.params)).toEqual([{}, {}, {}, {}, {}, { minutes: 5 }, {}]);
      expect(entries.at(-1)).toEqual({
        id: `${now}-7`,
        at: now,
        actor: '',
        platform: '',
        action: '',
        leaseId: 'bare',
        owner: '',
        team: '',
        image: '',
        params: {},
        outcome: '',
      });
    });

    it('GIVEN an audit key Redis cannot append to THEN create fails and writes no lease at all', async () => {
      const { redis, keys, store } = adapters;
      await redis.set(keys.audit(), 'not a stream');
      const now = await store.serverTime();
      expect(await codeOf(store.create(aliceLease('unwritten1', now), limits))).toBe('internal');
      expect(await store.get('unwritten1')).toBeNull();
      expect(await store.count()).toBe(0);
      expect(await redis.scard(keys.owner('local:alice'))).toBe(0);
    });
  },
);
