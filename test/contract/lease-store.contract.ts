import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Adapters } from '../../src/composition/adapters.js';
import { SYSTEM_ACTOR } from '../../src/core/domain/audit.js';
import { MINUTE_MS } from '../../src/core/domain/lease.js';
import { type Notice, noticeFor } from '../../src/core/domain/notice.js';
import { teamOf } from '../../src/core/domain/team.js';
import type { AuditTrail } from '../../src/core/ports/audit-trail.js';
import type { LeaseEnd, LeaseStore, NewLease } from '../../src/core/ports/lease-store.js';
import { codeOf } from '../support/outcomes.js';
import { flushPrefix, queuedNotices } from '../support/services.js';

export interface StoreUnderTest {
  readonly store: LeaseStore;
  /** The audit trail the store writes with each change. */
  readonly audit: AuditTrail;
  /** Lets the store's own clock move forward by `ms`. */
  advance(ms: number): Promise<void>;
  notices(): Promise<Notice[]>;
  close(): Promise<void>;
}

/** The Redis store of `adapters` as the contract drives it: Redis's own clock, keys under `prefix` removed at the end. */
export function redisStoreUnderTest(adapters: Adapters, prefix: string): StoreUnderTest {
  return {
    store: adapters.store,
    audit: adapters.audit,
    advance: (ms) => sleep(ms),
    notices: () => queuedNotices(adapters),
    close: async () => {
      await flushPrefix(adapters.redis, prefix);
      await adapters.close();
    },
  };
}

const WARN_MS = 10 * MINUTE_MS;
const limits = { maxPerUser: 3, maxActive: 50, maxPerTeam: 0, provisionTimeoutMs: 10 * MINUTE_MS };
const ALICE = 'local:alice';
/** An end that records and tells nothing special: the cleanup job's expiry without a notice. */
const EXPIRED: LeaseEnd = { action: 'expire', actor: SYSTEM_ACTOR };
const STOP = { by: ALICE };
let sequence = 0;

/**
 * What every LeaseStore promises. Runs against the Redis store (real Redis, its own clock) and the
 * in-memory fake that unit tests use, so the fake cannot drift. `make` builds a store that warns
 * `WARN_MS` before expiry.
 */
export function leaseStoreContract(make: (warnBeforeMs: number) => Promise<StoreUnderTest>): void {
  let subject: StoreUnderTest;
  let store: LeaseStore;
  let now: number;

  const draft = (overrides: Partial<NewLease> = {}): NewLease => {
    sequence += 1;
    const notify = overrides.notify ?? { platform: 'local', user: 'alice' };
    return {
      id: `lease${String(sequence).padStart(5, '0')}`,
      owner: ALICE,
      notify,
      team: teamOf(notify),
      imageType: 'busybox',
      image: 'local/busybox:latest',
      createdAt: now,
      expiresAt: now + 60 * MINUTE_MS,
      hardCapAt: now + 120 * MINUTE_MS,
      ...overrides,
    };
  };

  /** A lease that is active and expires `inMs` from the store's now. */
  /** Every audit entry, oldest first. */
  const trail = async () => (await subject.audit.query({ limit: 1000 })).entries;

  const active = async (inMs: number, overrides: Partial<NewLease> = {}) => {
    const lease = draft(overrides);
    await store.create(lease, limits);
    return store.activate(lease.id, `container-${lease.id}`, now + inMs);
  };

  beforeEach(async () => {
    subject = await make(WARN_MS);
    store = subject.store;
    now = await store.serverTime();
  });

  afterEach(async () => {
    await subject.close();
  });

  it('GIVEN a new lease THEN reads it back as provisioning with every field', async () => {
    const lease = draft({ notify: { platform: 'slack', user: 'U1', team: 'T1', channel: 'C1' } });
    await store.create(lease, limits);
    expect(await store.get(lease.id)).toEqual({
      ...lease,
      containerId: '',
      status: 'provisioning',
      warnedAt: 0,
      warnedFor: 0,
    });
    expect(await store.get('nosuchlease')).toBeNull();
  });

  it('GIVEN an existing id THEN create is a conflict', async () => {
    const lease = draft();
    await store.create(lease, limits);
    expect(await codeOf(store.create(lease, limits))).toBe('conflict');
  });

  it('GIVEN an owner at the quota THEN create is quota_exceeded, and other owners are unaffected', async () => {
    for (let i = 0; i < 3; i += 1) await store.create(draft(), limits);
    expect(await codeOf(store.create(draft(), limits))).toBe('quota_exceeded');
    await store.create(draft({ owner: 'local:bob' }), limits);
    expect(await store.listByOwner('local:alice')).toHaveLength(3);
  });

  it('GIVEN 20 concurrent creates against a quota of 3 THEN exactly 3 succeed', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => codeOf(store.create(draft(), limits))),
    );
    expect(outcomes.filter((outcome) => outcome === 'resolved')).toHaveLength(3);
    expect(outcomes.filter((outcome) => outcome === 'quota_exceeded')).toHaveLength(17);
    expect(await store.listByOwner('local:alice')).toHaveLength(3);
  });

  it('GIVEN the host at LEASE_MAX_ACTIVE THEN create is quota_exceeded for every owner, naming the limit, until one ends', async () => {
    const hostLimits = { ...limits, maxActive: 4 };
    const owners = ['local:alice', 'local:bob', 'local:carol', 'local:dave'];
    const held = [];
    for (const owner of owners) {
      const lease = draft({ owner });
      await store.create(lease, hostLimits);
      held.push(lease);
    }
    const refused = store.create(draft({ owner: 'local:erin' }), hostLimits);
    await expect(refused).rejects.toMatchObject({
      code: 'quota_exceeded',
      message: expect.stringContaining('4 leases, its limit for all users together (LEASE_MAX_ACTIVE)'),
    });
    expect(await store.count()).toBe(4);
    await store.delete(held[0]?.id ?? '', EXPIRED);
    await store.create(draft({ owner: 'local:erin' }), hostLimits);
    expect(await store.count()).toBe(4);
  });

  it('GIVEN 20 concurrent creates by 20 owners against LEASE_MAX_ACTIVE 5 THEN exactly 5 succeed', async () => {
    const hostLimits = { ...limits, maxActive: 5 };
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        codeOf(store.create(draft({ owner: `local:user${i}` }), hostLimits)),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === 'resolved')).toHaveLength(5);
    expect(outcomes.filter((outcome) => outcome === 'quota_exceeded')).toHaveLength(15);
    expect(await store.count()).toBe(5);
  });

  it('GIVEN activation THEN the lease is active with its container and expiry, listed for owner and all', async () => {
    const lease = await active(30 * MINUTE_MS);
    expect(lease).toMatchObject({
      status: 'active',
      containerId: `container-${lease.id}`,
      expiresAt: now + 30 * MINUTE_MS,
    });
    expect((await store.listByOwner('local:alice')).map((l) => l.id)).toEqual([lease.id]);
    expect((await store.listAll()).map((l) => l.id)).toContain(lease.id);
    expect(await store.count()).toBe(1);
    expect(await codeOf(store.activate(lease.id, 'other', now))).toBe('conflict');
    await expect(store.activate('nosuchlease', 'other', now)).rejects.toMatchObject({
      code: 'not_found',
      message: 'There is no lease nosuchlease.',
    });
  });

  it('GIVEN an active lease THEN extend moves its expiry, and refuses past the hard cap leaving it unchanged', async () => {
    const lease = await active(30 * MINUTE_MS);
    expect((await store.extend(lease.id, 30 * MINUTE_MS, ALICE)).expiresAt).toBe(now + 60 * MINUTE_MS);
    expect(await codeOf(store.extend(lease.id, 61 * MINUTE_MS, ALICE))).toBe('limit_exceeded');
    expect((await store.get(lease.id))?.expiresAt).toBe(now + 60 * MINUTE_MS);
    expect((await store.extend(lease.id, 60 * MINUTE_MS, ALICE)).expiresAt).toBe(now + 120 * MINUTE_MS);
    expect(await codeOf(store.extend('nosuchlease', MINUTE_MS, ALICE))).toBe('not_found');
  });

  it('GIVEN due and future leases THEN claimDue takes only the due ones, once per visibility timeout', async () => {
    const due = await active(-1_000);
    const future = await active(30 * MINUTE_MS);
    // Long enough that the next call to a busy Redis comes inside it: on Redis the window is real time.
    const claims = await store.claimDue(10, 2_000);
    expect(claims.map((claim) => claim.id)).toEqual([due.id]);
    expect(await store.claimDue(10, 2_000)).toEqual([]);
    await subject.advance(2_100);
    const again = await store.claimDue(10, 2_000);
    expect(again.map((claim) => claim.id)).toEqual([due.id]);
    expect(again[0]?.token).not.toBe(claims[0]?.token);
    expect((await store.get(future.id))?.status).toBe('active');
  });

  it('GIVEN a claim THEN beginCleaning marks it cleaning and extensions are refused from then on', async () => {
    const lease = await active(-1_000);
    const [claim] = await store.claimDue(10, MINUTE_MS);
    const decision = await store.beginCleaning(claim ?? { id: '', token: '' });
    expect(decision.kind).toBe('begun');
    expect((await store.get(lease.id))?.status).toBe('cleaning');
    expect(await codeOf(store.extend(lease.id, MINUTE_MS, ALICE))).toBe('conflict');
  });

  it('GIVEN cleaning begins THEN the lease records why, by the store: expiry, its owner, or its provision timeout', async () => {
    const expired = await active(-1_000);
    const stopped = await active(-1_000);
    await store.beginStop(stopped.id, 20, STOP);
    const stuck = draft();
    await store.create(stuck, { ...limits, provisionTimeoutMs: 10 });
    await subject.advance(40);
    const claims = await store.claimDue(10, MINUTE_MS);
    const endings = new Map<string, unknown>();
    for (const claim of claims) {
      const decision = await store.beginCleaning(claim);
      if (decision.kind === 'begun') endings.set(claim.id, decision.lease.endedBy);
    }
    expect(Object.fromEntries(endings)).toEqual({
      [expired.id]: 'expiry',
      [stopped.id]: 'owner',
      [stuck.id]: 'provision-timeout',
    });
    expect((await store.get(stopped.id))?.endedBy).toBe('owner');
  });

  it('GIVEN a claim whose lease was deleted meanwhile THEN beginCleaning finds it missing', async () => {
    const lease = await active(-1_000);
    const [claim] = await store.claimDue(10, MINUTE_MS);
    await store.delete(lease.id, EXPIRED);
    expect(await store.beginCleaning(claim ?? { id: '', token: '' })).toEqual({ kind: 'missing' });
  });

  it('GIVEN a claim released THEN a lease past its expiry is due again at once, not after the visibility timeout', async () => {
    const lease = await active(-1_000);
    const [claim] = await store.claimDue(10, 10 * MINUTE_MS);
    expect(await store.claimDue(10, MINUTE_MS)).toEqual([]);
    await store.release(claim ?? { id: '', token: '' });
    expect((await store.claimDue(10, MINUTE_MS)).map((again) => again.id)).toEqual([lease.id]);
  });

  it('GIVEN leases created in one order and expiring in another THEN listAll and listByOwner give them oldest first', async () => {
    const middle = await active(30 * MINUTE_MS, { createdAt: now + 2 });
    const newest = await active(10 * MINUTE_MS, { createdAt: now + 3 });
    const oldest = await active(20 * MINUTE_MS, { createdAt: now + 1 });
    const order = [oldest.id, middle.id, newest.id];
    expect((await store.listAll()).map((lease) => lease.id)).toEqual(order);
    expect((await store.listByOwner(ALICE)).map((lease) => lease.id)).toEqual(order);
  });

  it('GIVEN a lease extended after its claim THEN beginCleaning releases it and it is not due', async () => {
    const lease = await active(-1_000);
    const [claim] = await store.claimDue(10, MINUTE_MS);
    await store.extend(lease.id, 30 * MINUTE_MS, ALICE);
    const decision = await store.beginCleaning(claim ?? { id: '', token: '' });
    expect(decision.kind).toBe('released');
    expect((await store.get(lease.id))?.status).toBe('active');
    expect(await store.claimDue(10, MINUTE_MS)).toEqual([]);
  });

  it('GIVEN a claim taken over by a later run THEN the first run has lost it', async () => {
    const lease = await active(-1_000);
    const [first] = await store.claimDue(10, 20);
    await subject.advance(40);
    const [second] = await store.claimDue(10, 20);
    expect(second?.id).toBe(lease.id);
    expect((await store.beginCleaning(first ?? { id: '', token: '' })).kind).toBe('lost');
    expect((await store.beginCleaning(second ?? { id: '', token: '' })).kind).toBe('begun');
  });

  it('GIVEN a provisioning lease past its provision timeout THEN it is due for cleanup', async () => {
    const lease = draft();
    // Long enough that the next call to a busy Redis comes inside it: on Redis the timeout is real time.
    await store.create(lease, { ...limits, provisionTimeoutMs: 2_000 });
    expect(await store.claimDue(10, MINUTE_MS)).toEqual([]);
    await subject.advance(2_100);
    const [claim] = await store.claimDue(10, MINUTE_MS);
    expect(claim?.id).toBe(lease.id);
    expect((await store.beginCleaning(claim ?? { id: '', token: '' })).kind).toBe('begun');
    expect(await codeOf(store.activate(lease.id, 'late', now + MINUTE_MS))).toBe('conflict');
  });

  it('GIVEN a release THEN an active lease is due again only at its expiry', async () => {
    const lease = await active(-1_000);
    const [claim] = await store.claimDue(10, 10 * MINUTE_MS);
    await store.extend(lease.id, 30 * MINUTE_MS, ALICE);
    await store.release(claim ?? { id: '', token: '' });
    expect(await store.claimDue(10, MINUTE_MS)).toEqual([]);
    expect((await store.get(lease.id))?.status).toBe('active');
  });

  it('GIVEN delete with a notice THEN the lease is gone everywhere and the notice queued once', async () => {
    const lease = await active(-1_000);
    const notice = noticeFor('expired', lease, now);
    expect(await store.delete(lease.id, { ...EXPIRED, notice })).toBe(true);
    expect(await store.delete(lease.id, { ...EXPIRED, notice })).toBe(false);
    expect(await store.get(lease.id)).toBeNull();
    expect(await store.listByOwner(lease.owner)).toEqual([]);
    expect(await store.claimDue(10, MINUTE_MS)).toEqual([]);
    expect(await subject.notices()).toEqual([notice]);
    await store.create(draft(), limits);
  });

  it('GIVEN a lease inside its warning window THEN one warning is queued per expiry, re-armed by an extension', async () => {
    const lease = await active(5 * MINUTE_MS);
    await active(30 * MINUTE_MS);
    expect(await store.claimWarnings(100)).toBe(1);
    expect(await store.claimWarnings(100)).toBe(0);
    const warned = await store.get(lease.id);
    expect(warned?.warnedFor).toBe(lease.expiresAt);
    const extended = await store.extend(lease.id, 1 * MINUTE_MS, ALICE);
    expect(await store.claimWarnings(100)).toBe(1);
    const notices = await subject.notices();
    expect(notices.map((notice) => notice.id)).toEqual([
      `warning:${lease.id}:${lease.expiresAt}`,
      `warning:${lease.id}:${extended.expiresAt}`,
    ]);
    expect(notices[0]).toMatchObject({
      kind: 'warning',
      leaseId: lease.id,
      owner: lease.owner,
      notify: lease.notify,
      hardCapAt: lease.hardCapAt,
    });
  });

  it('GIVEN an owner stop THEN the lease is cleaning, hidden from the job, and a second stop is a conflict', async () => {
    const lease = await active(-1_000);
    const stopped = await store.beginStop(lease.id, MINUTE_MS, STOP);
    expect(stopped).toMatchObject({ status: 'cleaning', endedBy: 'owner', stoppedBy: ALICE });
    // Stopped without a reason: none is recorded.
    expect(stopped).not.toHaveProperty('stopReason');
    expect(await store.claimDue(10, MINUTE_MS)).toEqual([]);
    expect(await codeOf(store.beginStop(lease.id, MINUTE_MS, STOP))).toBe('conflict');
    expect(await codeOf(store.extend(lease.id, MINUTE_MS, ALICE))).toBe('conflict');
    expect(await codeOf(store.beginStop('nosuchlease', MINUTE_MS, STOP))).toBe('not_found');
  });

  it('GIVEN a lost record THEN adopt writes it back as active and due at its expiry; an existing one is kept', async () => {
    const lease = {
      ...draft(),
      containerId: 'c-adopted',
      status: 'active' as const,
      warnedAt: 0,
      warnedFor: 0,
    };
    expect(await store.adopt({ ...lease, expiresAt: now - 1_000 })).toBe('adopted');
    expect(await store.adopt({ ...lease, expiresAt: now + MINUTE_MS })).toBe('exists');
    expect(await store.get(lease.id)).toEqual({ ...lease, expiresAt: now - 1_000 });
    expect((await store.listByOwner(lease.owner)).map((l) => l.id)).toEqual([lease.id]);
    expect((await store.claimDue(10, MINUTE_MS)).map((c) => c.id)).toEqual([lease.id]);
  });

  const orphan = (id: string) => ({
    ...draft({ id }),
    containerId: `c-${id}`,
    status: 'active' as const,
    warnedAt: 0,
    warnedFor: 0,
  });

  it('GIVEN a lease deleted moments ago THEN adopt and closeOrphan refuse it as ended, and queue nothing', async () => {
    const lease = await active(30 * MINUTE_MS);
    await store.delete(lease.id, EXPIRED);
    expect(await store.adopt({ ...lease, status: 'active' })).toBe('ended');
    expect(await store.closeOrphan(lease, noticeFor('expired', lease, now))).toBe('ended');
    expect(await store.get(lease.id)).toBeNull();
    expect(await store.count()).toBe(0);
    expect(await subject.notices()).toEqual([]);
  });

  it('GIVEN an orphan past its expiry THEN closeOrphan queues its notice once; after that it is ended, and a live record is never closed', async () => {
    const lost = orphan('orphan0001');
    const notice = noticeFor('expired', lost, now);
    expect(await store.closeOrphan(lost, notice)).toBe('closed');
    expect(await store.closeOrphan(lost, notice)).toBe('ended');
    expect(await store.adopt(lost)).toBe('ended');
    expect(await subject.notices()).toEqual([notice]);
    const live = await active(30 * MINUTE_MS);
    expect(await store.closeOrphan(live, noticeFor('expired', live, now))).toBe('exists');
    expect(await subject.notices()).toEqual([notice]);
  });

  it('GIVEN a team at its TEAM_QUOTAS limit THEN create is team_quota_exceeded naming the limit, other teams and owners are unaffected, and an end frees a place', async () => {
    const teamLimits = { ...limits, maxPerUser: 10, maxPerTeam: 2 };
    const inTeam = (owner: string) =>
      draft({ owner, notify: { platform: 'slack', user: owner.split(':')[2] ?? '', team: 'T1' } });
    const first = inTeam('slack:T1:U1');
    await store.create(first, teamLimits);
    await store.create(inTeam('slack:T1:U2'), teamLimits);
    await expect(store.create(inTeam('slack:T1:U3'), teamLimits)).rejects.toMatchObject({
      code: 'team_quota_exceeded',
      message: expect.stringContaining('(slack:T1) already holds 2 leases'),
    });
    await store.create(
      draft({ owner: 'slack:T2:U3', notify: { platform: 'slack', user: 'U3', team: 'T2' } }),
      teamLimits,
    );
    await store.delete(first.id, EXPIRED);
    await store.create(inTeam('slack:T1:U3'), teamLimits);
    expect(await store.count()).toBe(3);
  });

  it('GIVEN 20 concurrent creates by 20 owners of one team against its limit of 4 THEN exactly 4 succeed', async () => {
    const teamLimits = { ...limits, maxPerTeam: 4 };
    const codes = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        codeOf(
          store.create(
            draft({
              owner: `discord:${index}`,
              notify: { platform: 'discord', user: `${index}`, team: 'G1' },
            }),
            teamLimits,
          ),
        ),
      ),
    );
    expect(codes.filter((code) => code === 'resolved')).toHaveLength(4);
    expect(codes.filter((code) => code === 'team_quota_exceeded')).toHaveLength(16);
  });

  it('GIVEN a lease from request to removal THEN the audit trail holds one entry per change, with actor, team, image, parameters and outcome', async () => {
    const lease = draft({ notify: { platform: 'slack', user: 'U1', team: 'T1' }, owner: 'slack:T1:U1' });
    await store.create(lease, limits);
    await store.activate(lease.id, 'c-audited', now + 30 * MINUTE_MS);
    await store.extend(lease.id, 15 * MINUTE_MS, 'slack:T1:U1');
    await store.beginStop(lease.id, MINUTE_MS, { by: 'api:ops', reason: 'runaway job' });
    expect(await store.delete(lease.id, { action: 'stop', actor: 'api:ops' })).toBe(true);
    expect(await store.delete(lease.id, { action: 'stop', actor: 'api:ops' })).toBe(false);
    const entries = await trail();
    const common = { leaseId: lease.id, owner: 'slack:T1:U1', team: 'slack:T1', image: 'busybox' };
    expect(
      entries.map(({ action, actor, platform, outcome }) => ({ action, actor, platform, outcome })),
    ).toEqual([
      { action: 'provision', actor: 'slack:T1:U1', platform: 'slack', outcome: 'provisioning' },
      { action: 'provision', actor: 'slack:T1:U1', platform: 'slack', outcome: 'active' },
      { action: 'extend', actor: 'slack:T1:U1', platform: 'slack', outcome: 'extended' },
      { action: 'stop', actor: 'api:ops', platform: 'api', outcome: 'removed' },
    ]);
    for (const entry of entries) expect(entry).toMatchObject(common);
    expect(entries[0]?.params).toEqual({ minutes: 60 });
    expect(entries[1]?.params).toEqual({ containerId: 'c-audited', expiresAt: now + 30 * MINUTE_MS });
    expect(entries[2]?.params).toMatchObject({ minutes: 15 });
    expect(entries[3]?.params).toMatchObject({ containerId: 'c-audited', reason: 'runaway job' });
    expect(entries[3]?.params.seconds).toBeGreaterThanOrEqual(0);
    const times = entries.map((entry) => entry.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.abs((times[0] ?? 0) - now)).toBeLessThan(MINUTE_MS);
  });

  it('GIVEN refusals THEN a quota refusal is recorded as refused, and a create that fails on an existing id, an extension past the hard cap and a stop of a lease being removed record nothing', async () => {
    const lease = draft();
    await store.create(lease, { ...limits, maxPerUser: 1 });
    await store.create(draft(), { ...limits, maxPerUser: 1 }).catch(() => {});
    await store.create(lease, limits).catch(() => {});
    await store.activate(lease.id, 'c-refusals', now + 30 * MINUTE_MS);
    await store.extend(lease.id, 200 * MINUTE_MS, ALICE).catch(() => {});
    await store.beginStop(lease.id, MINUTE_MS, STOP);
    await store.beginStop(lease.id, MINUTE_MS, STOP).catch(() => {});
    expect((await trail()).map((entry) => `${entry.action} ${entry.outcome}`)).toEqual([
      'provision provisioning',
      'provision refused: owner quota',
      'provision active',
    ]);
  });

  it('GIVEN adoption and an orphan closed THEN each is recorded once, by the system', async () => {
    const adopted = orphan('adopted001');
    expect(await store.adopt(adopted)).toBe('adopted');
    expect(await store.adopt(adopted)).toBe('exists');
    const lost = orphan('orphan0002');
    await store.closeOrphan(lost, noticeFor('expired', lost, now));
    await store.closeOrphan(lost, noticeFor('expired', lost, now));
    const entries = await trail();
    expect(
      entries.map(({ action, actor, leaseId, outcome }) => ({ action, actor, leaseId, outcome })),
    ).toEqual([
      { action: 'adopt', actor: 'system', leaseId: adopted.id, outcome: 'adopted' },
      { action: 'expire', actor: 'system', leaseId: lost.id, outcome: 'removed' },
    ]);
    expect(entries[1]?.params).toMatchObject({ containerId: lost.containerId, reconciled: true });
  });

  it('GIVEN entries of several leases and owners THEN the trail filters by lease, owner and time, and pages on', async () => {
    const mine = await active(30 * MINUTE_MS);
    const bobs = await active(30 * MINUTE_MS, { owner: 'local:bob' });
    await store.extend(mine.id, MINUTE_MS, ALICE);
    const all = await trail();
    expect(all).toHaveLength(5);
    const byLease = await subject.audit.query({ leaseId: mine.id, limit: 100 });
    expect(byLease.entries.map((entry) => entry.action)).toEqual(['provision', 'provision', 'extend']);
    const byOwner = await subject.audit.query({ owner: 'local:bob', limit: 100 });
    expect(byOwner.entries.every((entry) => entry.leaseId === bobs.id)).toBe(true);
    expect(byOwner.entries).toHaveLength(2);
    const first = await subject.audit.query({ limit: 2 });
    expect(first.entries).toEqual(all.slice(0, 2));
    const rest = await subject.audit.query({ limit: 100, after: first.next });
    expect(rest.entries).toEqual(all.slice(2));
    expect(rest.next).toBeUndefined();
    const last = all[4]?.at ?? 0;
    expect((await subject.audit.query({ since: last + 1, limit: 100 })).entries).toEqual([]);
    expect((await subject.audit.query({ until: (all[0]?.at ?? 0) - 1, limit: 100 })).entries).toEqual([]);
    expect((await subject.audit.query({ since: all[0]?.at, until: last, limit: 100 })).entries).toEqual(all);
  });

  it('GIVEN a change no script makes THEN record appends it by the store clock', async () => {
    await subject.audit.record({
      actor: ALICE,
      action: 'exec',
      leaseId: 'lease99999',
      owner: ALICE,
      team: 'local',
      image: 'busybox',
      params: { command: 'uname -a', exitCode: 0 },
      outcome: 'ok',
    });
    expect(await trail()).toEqual([
      expect.objectContaining({
        actor: ALICE,
        platform: 'local',
        action: 'exec',
        params: { command: 'uname -a', exitCode: 0 },
        outcome: 'ok',
      }),
    ]);
  });
}
