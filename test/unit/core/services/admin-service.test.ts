import { beforeEach, describe, expect, it } from 'vitest';
import { createAdminService } from '../../../../src/composition/services.js';
import { type AuditRecord, DAY_MS } from '../../../../src/core/domain/audit.js';
import { MINUTE_MS } from '../../../../src/core/domain/lease.js';
import type { AuditPage, AuditQuery, AuditTrail } from '../../../../src/core/ports/audit-trail.js';
import {
  type AdminService,
  AUDIT_PAGE_LIMIT,
  STOP_REASON_MAX,
  USAGE_MAX_DAYS,
  USAGE_MAX_ENTRIES,
} from '../../../../src/core/services/admin-service.js';
import type { LeaseService } from '../../../../src/core/services/lease-service.js';
import { FakeRuntime } from '../../../doubles/fake-runtime.js';
import { InMemoryLeaseStore } from '../../../doubles/in-memory-lease-store.js';
import { ManualClock } from '../../../doubles/manual-clock.js';
import { auditEntry } from '../../../support/drafts.js';
import {
  alice,
  makeLeaseService,
  TEST_CATALOG,
  TEST_POLICY,
  TEST_SETTINGS,
} from '../../../support/lease-service-fixture.js';
import { failureOf } from '../../../support/outcomes.js';

const START = Date.parse('2026-11-29T12:00:00Z');

/** The store's audit trail, noting every query asked of it. */
class QueriedTrail implements AuditTrail {
  readonly queries: AuditQuery[] = [];

  constructor(private readonly trail: AuditTrail) {}

  query(query: AuditQuery): Promise<AuditPage> {
    this.queries.push(query);
    return this.trail.query(query);
  }

  record(entry: AuditRecord): Promise<void> {
    return this.trail.record(entry);
  }
}

/** A trail longer than any report may hold: every page is full and another follows. */
class EndlessTrail implements AuditTrail {
  served = 0;

  constructor(private readonly at: number) {}

  async query(query: AuditQuery): Promise<AuditPage> {
    const entries = Array.from({ length: query.limit }, () => {
      this.served += 1;
      return auditEntry(String(this.served), this.at, `lease${this.served}`);
    });
    return { entries, next: String(this.served) };
  }

  async record(): Promise<void> {}
}

describe('AdminService over in-memory doubles', () => {
  let clock: ManualClock;
  let store: InMemoryLeaseStore;
  let runtime: FakeRuntime;
  let leases: LeaseService;
  let trail: QueriedTrail;
  let admin: AdminService;
  const ops = () => leases.actor('local:admin');
  const member = () => leases.actor('local:alice');
  const provision = (owner = 'local:alice') =>
    leases.provision(leases.actor(owner), { imageType: 'busybox', minutes: 30, notify: alice });
  /** The activation of lease `leaseId`, recorded now. */
  const recordActivation = (leaseId: string) => {
    const { id: _id, at: _at, platform: _platform, ...record } = auditEntry('', 0, leaseId);
    return store.audit.record(record);
  };
  /** `count` activations of distinct leases, recorded now. */
  const recordActivations = async (count: number) => {
    for (let index = 0; index < count; index += 1) await recordActivation(`lease${index}`);
  };

  beforeEach(() => {
    clock = new ManualClock(START);
    store = new InMemoryLeaseStore(clock, { warnBeforeMs: 10 * MINUTE_MS });
    runtime = new FakeRuntime({ images: [TEST_CATALOG.get('busybox')?.image ?? ''], now: () => clock.now() });
    leases = makeLeaseService({ store, runtime, clock, instanceId: 'unit' });
    trail = new QueriedTrail(store.audit);
    admin = createAdminService(TEST_SETTINGS, { leases, audit: trail, clock });
  });

  describe('only admins', () => {
    it.each([
      ['stop leases as an admin', (service: AdminService, id: string) => service.stop(member(), id, 'why')],
      ['list every lease', (service: AdminService) => service.list(member())],
      ['read the audit trail', (service: AdminService) => service.audit(member(), {})],
      ['see usage', (service: AdminService) => service.usage(member(), 1)],
    ])(
      'GIVEN a non-admin THEN "%s" is refused as forbidden, naming ADMINS, and nothing is read or changed',
      async (what, call) => {
        const lease = await provision();
        const error = await failureOf((async () => call(admin, lease.id))());
        expect(error).toMatchObject({ code: 'forbidden', message: `Only admins (ADMINS) can ${what}.` });
        expect((await store.get(lease.id))?.status).toBe('active');
        expect(trail.queries).toEqual([]);
      },
    );
  });

  describe('stop', () => {
    it('GIVEN a reason padded with spaces THEN the lease ends and its owner is told who stopped it and why, trimmed', async () => {
      const lease = await provision();
      await admin.stop(ops(), lease.id, '  mining crypto \n');
      expect(await store.get(lease.id)).toBeNull();
      expect(runtime.containers.size).toBe(0);
      expect(store.notices).toEqual([
        expect.objectContaining({
          kind: 'stopped',
          leaseId: lease.id,
          owner: 'local:alice',
          stoppedBy: 'local:admin',
          reason: 'mining crypto',
        }),
      ]);
      expect(store.audit.entries.at(-1)).toMatchObject({
        actor: 'local:admin',
        action: 'stop',
        params: { reason: 'mining crypto' },
      });
    });

    it.each([
      ['no reason', undefined],
      ['only spaces', '   '],
    ])(
      'GIVEN %s THEN the lease ends and its owner is told who stopped it, with no reason',
      async (_, reason) => {
        const lease = await provision();
        await admin.stop(ops(), lease.id, reason);
        expect(await store.get(lease.id)).toBeNull();
        const [notice] = store.notices;
        expect(notice).toMatchObject({ kind: 'stopped', leaseId: lease.id, stoppedBy: 'local:admin' });
        expect(notice).not.toHaveProperty('reason');
        expect(store.audit.entries.at(-1)?.params).not.toHaveProperty('reason');
      },
    );

    it('GIVEN a reason of exactly STOP_REASON_MAX characters once trimmed THEN it is kept whole', async () => {
      const lease = await provision();
      const reason = 'x'.repeat(STOP_REASON_MAX);
      await admin.stop(ops(), lease.id, `  ${reason}  `);
      expect(store.notices).toEqual([expect.objectContaining({ leaseId: lease.id, reason })]);
    });

    it('GIVEN a reason one past STOP_REASON_MAX THEN validation saying the limit and the length, and the lease runs on', async () => {
      const lease = await provision();
      const error = await failureOf(admin.stop(ops(), lease.id, 'x'.repeat(STOP_REASON_MAX + 1)));
      expect(error).toMatchObject({
        code: 'validation',
        message: `A reason is at most ${STOP_REASON_MAX} characters (this one has ${STOP_REASON_MAX + 1}).`,
      });
      expect((await store.get(lease.id))?.status).toBe('active');
      expect(runtime.running().map((container) => container.id)).toEqual([lease.containerId]);
      expect(store.notices).toEqual([]);
    });
  });

  it("GIVEN leases of two owners THEN an admin's list holds both", async () => {
    const first = await provision('local:alice');
    clock.advance(1);
    const second = await provision('local:bob');
    expect((await admin.list(ops())).map((lease) => [lease.id, lease.owner])).toEqual([
      [first.id, 'local:alice'],
      [second.id, 'local:bob'],
    ]);
  });

  describe('audit', () => {
    it('GIVEN no limit THEN a page holds AUDIT_PAGE_LIMIT entries, oldest first, and says where the next starts', async () => {
      await recordActivations(AUDIT_PAGE_LIMIT + 1);
      const page = await admin.audit(ops(), {});
      expect(page.entries).toHaveLength(AUDIT_PAGE_LIMIT);
      expect(page.entries[0]?.leaseId).toBe('lease0');
      expect(page.next).toBe(page.entries.at(-1)?.id);
      const rest = await admin.audit(ops(), { after: page.next });
      expect(rest.entries.map((entry) => entry.leaseId)).toEqual([`lease${AUDIT_PAGE_LIMIT}`]);
      expect(rest.next).toBeUndefined();
    });

    it.each([1, AUDIT_PAGE_LIMIT])('GIVEN limit %s THEN a page holds that many', async (limit) => {
      await recordActivations(AUDIT_PAGE_LIMIT + 1);
      expect((await admin.audit(ops(), { limit })).entries).toHaveLength(limit);
    });

    it.each([0, -1, AUDIT_PAGE_LIMIT + 1, 1.5, Number.NaN])(
      'GIVEN limit %s THEN validation naming AUDIT_PAGE_LIMIT, and the trail is not read',
      async (limit) => {
        const error = await failureOf((async () => admin.audit(ops(), { limit }))());
        expect(error).toMatchObject({
          code: 'validation',
          message: `limit is a whole number from 1 to ${AUDIT_PAGE_LIMIT} (AUDIT_PAGE_LIMIT).`,
        });
        expect(trail.queries).toEqual([]);
      },
    );

    it('GIVEN a lease id in capitals and spaces THEN only that lease’s entries', async () => {
      const wanted = await provision('local:alice');
      await provision('local:bob');
      const page = await admin.audit(ops(), { leaseId: ` ${wanted.id.toUpperCase()} ` });
      expect(page.entries.map((entry) => [entry.leaseId, entry.outcome])).toEqual([
        [wanted.id, 'provisioning'],
        [wanted.id, 'active'],
      ]);
    });

    it('GIVEN something that is not a lease id THEN validation on the id, and the trail is not read', async () => {
      const error = await failureOf((async () => admin.audit(ops(), { leaseId: '../etc' }))());
      expect(error).toMatchObject({ code: 'validation', details: { field: 'id' } });
      expect(trail.queries).toEqual([]);
    });

    it('GIVEN an owner THEN only their entries', async () => {
      await provision('local:alice');
      await provision('local:bob');
      const page = await admin.audit(ops(), { owner: 'local:bob' });
      expect(page.entries.map((entry) => entry.owner)).toEqual(['local:bob', 'local:bob']);
    });

    describe('since and until', () => {
      /** Entries one minute apart: lease0 at START, lease1 a minute later, lease2 two. */
      const threeMinutes = async () => {
        for (const leaseId of ['lease0', 'lease1', 'lease2']) {
          await recordActivation(leaseId);
          clock.advance(MINUTE_MS);
        }
      };
      const leaseIds = async (request: { since?: number; until?: number }) =>
        (await admin.audit(ops(), request)).entries.map((entry) => entry.leaseId);

      it('GIVEN since after until THEN validation, and the trail is not read', async () => {
        const error = await failureOf((async () => admin.audit(ops(), { since: START + 1, until: START }))());
        expect(error).toMatchObject({ code: 'validation', message: 'since must not be after until.' });
        expect(trail.queries).toEqual([]);
      });

      it('GIVEN since equal to until THEN the entries of that instant', async () => {
        await threeMinutes();
        expect(await leaseIds({ since: START + MINUTE_MS, until: START + MINUTE_MS })).toEqual(['lease1']);
      });

      it('GIVEN only since, or only until THEN the other end is open', async () => {
        await threeMinutes();
        expect(await leaseIds({ since: START + MINUTE_MS })).toEqual(['lease1', 'lease2']);
        expect(await leaseIds({ until: START + MINUTE_MS })).toEqual(['lease0', 'lease1']);
        expect(await leaseIds({ since: START - DAY_MS })).toEqual(['lease0', 'lease1', 'lease2']);
        expect(await leaseIds({ until: START - DAY_MS })).toEqual([]);
      });
    });
  });

  describe('usage', () => {
    it.each([0, -1, USAGE_MAX_DAYS + 1, 1.5])(
      'GIVEN %s days THEN validation naming the range, and the trail is not read',
      async (days) => {
        const error = await failureOf(admin.usage(ops(), days));
        expect(error).toMatchObject({
          code: 'validation',
          message: `Usage covers a whole number of days from 1 to ${USAGE_MAX_DAYS}.`,
        });
        expect(trail.queries).toEqual([]);
      },
    );

    it.each([1, USAGE_MAX_DAYS])('GIVEN %s days THEN the report covers the days up to now', async (days) => {
      clock.advance(DAY_MS);
      const report = await admin.usage(ops(), days);
      expect(report).toMatchObject({
        days,
        from: clock.now() - days * DAY_MS,
        to: clock.now(),
        partial: false,
      });
    });

    it('GIVEN a lease that began before the window and still runs THEN its minutes inside the window count, read back a lease’s longest life', async () => {
      await provision('local:alice');
      clock.advance(DAY_MS + 60 * MINUTE_MS);
      const report = await admin.usage(ops(), 1);
      const from = clock.now() - DAY_MS;
      expect(trail.queries).toEqual([
        {
          since: from - TEST_POLICY.maxTotalMinutes * MINUTE_MS,
          until: clock.now(),
          limit: AUDIT_PAGE_LIMIT,
        },
      ]);
      expect(report).toMatchObject({
        totalMinutes: 24 * 60,
        byOwner: [{ key: 'local:alice', minutes: 24 * 60, leases: 1 }],
        partial: false,
      });
    });

    it('GIVEN more entries than a page THEN every page is read once, each after the last, and the report is whole', async () => {
      await recordActivations(AUDIT_PAGE_LIMIT + 500);
      clock.advance(MINUTE_MS);
      const report = await admin.usage(ops(), 1);
      const firstPage = await store.audit.query(trail.queries[0] as AuditQuery);
      expect(trail.queries.map((query) => query.after)).toEqual([undefined, firstPage.next]);
      expect(report.byImage).toEqual([{ key: 'busybox', minutes: AUDIT_PAGE_LIMIT + 500, leases: 1500 }]);
      expect(report.partial).toBe(false);
    });

    it('GIVEN a trail longer than USAGE_MAX_ENTRIES THEN usage reads that many, no more, and says it is partial', async () => {
      const endless = new EndlessTrail(START);
      clock.advance(MINUTE_MS);
      const capped = createAdminService(TEST_SETTINGS, { leases, audit: endless, clock });
      const report = await capped.usage(ops(), 1);
      expect(endless.served).toBe(USAGE_MAX_ENTRIES);
      expect(report.partial).toBe(true);
      expect(report.byImage).toEqual([
        { key: 'busybox', minutes: USAGE_MAX_ENTRIES, leases: USAGE_MAX_ENTRIES },
      ]);
    });
  });
});
