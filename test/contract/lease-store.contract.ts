import { afterEach, beforeEach, expect, it } from 'vitest';
import { MINUTE_MS } from '../../src/core/domain/lease.js';
import { type Notice, noticeFor } from '../../src/core/domain/notice.js';
import type { LeaseStore, NewLease } from '../../src/core/ports/lease-store.js';
import { codeOf } from '../support/outcomes.js';

export interface StoreUnderTest {
  readonly store: LeaseStore;
  /** Lets the store's own clock move forward by `ms`. */
  advance(ms: number): Promise<void>;
  notices(): Promise<Notice[]>;
  close(): Promise<void>;
}

const WARN_MS = 10 * MINUTE_MS;
const limits = { maxPerUser: 3, maxActive: 50, provisionTimeoutMs: 10 * MINUTE_MS };
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
    return {
      id: `lease${String(sequence).padStart(5, '0')}`,
      owner: 'local:alice',
      notify: { platform: 'local', user: 'alice' },
      imageType: 'busybox',
      image: 'local/busybox:latest',
      createdAt: now,
      expiresAt: now + 60 * MINUTE_MS,
      hardCapAt: now + 120 * MINUTE_MS,
      ...overrides,
    };
  };

  /** A lease that is active and expires `inMs` from the store's now. */
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
    await store.delete(held[0]?.id ?? '');
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
    expect(await codeOf(store.activate('nosuchlease', 'other', now))).toBe('not_found');
  });

  it('GIVEN an active lease THEN extend moves its expiry, and refuses past the hard cap leaving it unchanged', async () => {
    const lease = await active(30 * MINUTE_MS);
    expect((await store.extend(lease.id, 30 * MINUTE_MS)).expiresAt).toBe(now + 60 * MINUTE_MS);
    expect(await codeOf(store.extend(lease.id, 61 * MINUTE_MS))).toBe('limit_exceeded');
    expect((await store.get(lease.id))?.expiresAt).toBe(now + 60 * MINUTE_MS);
    expect((await store.extend(lease.id, 60 * MINUTE_MS)).expiresAt).toBe(now + 120 * MINUTE_MS);
    expect(await codeOf(store.extend('nosuchlease', MINUTE_MS))).toBe('not_found');
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
    expect(await codeOf(store.extend(lease.id, MINUTE_MS))).toBe('conflict');
  });

  it('GIVEN cleaning begins THEN the lease records why, by the store: expiry, its owner, or its provision timeout', async () => {
    const expired = await active(-1_000);
    const stopped = await active(-1_000);
    await store.beginStop(stopped.id, 20);
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

  it('GIVEN a lease extended after its claim THEN beginCleaning releases it and it is not due', async () => {
    const lease = await active(-1_000);
    const [claim] = await store.claimDue(10, MINUTE_MS);
    await store.extend(lease.id, 30 * MINUTE_MS);
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
    await store.extend(lease.id, 30 * MINUTE_MS);
    await store.release(claim ?? { id: '', token: '' });
    expect(await store.claimDue(10, MINUTE_MS)).toEqual([]);
    expect((await store.get(lease.id))?.status).toBe('active');
  });

  it('GIVEN delete with a notice THEN the lease is gone everywhere and the notice queued once', async () => {
    const lease = await active(-1_000);
    const notice = noticeFor('expired', lease, now);
    expect(await store.delete(lease.id, notice)).toBe(true);
    expect(await store.delete(lease.id, notice)).toBe(false);
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
    const extended = await store.extend(lease.id, 1 * MINUTE_MS);
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
    expect((await store.beginStop(lease.id, MINUTE_MS)).status).toBe('cleaning');
    expect(await store.claimDue(10, MINUTE_MS)).toEqual([]);
    expect(await codeOf(store.beginStop(lease.id, MINUTE_MS))).toBe('conflict');
    expect(await codeOf(store.extend(lease.id, MINUTE_MS))).toBe('conflict');
    expect(await codeOf(store.beginStop('nosuchlease', MINUTE_MS))).toBe('not_found');
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
    await store.delete(lease.id);
    expect(await store.adopt({ ...lease, status: 'active' })).toBe('ended');
    expect(await store.closeOrphan(lease.id, noticeFor('expired', lease, now))).toBe('ended');
    expect(await store.get(lease.id)).toBeNull();
    expect(await store.count()).toBe(0);
    expect(await subject.notices()).toEqual([]);
  });

  it('GIVEN an orphan past its expiry THEN closeOrphan queues its notice once; after that it is ended, and a live record is never closed', async () => {
    const lost = orphan('orphan0001');
    const notice = noticeFor('expired', lost, now);
    expect(await store.closeOrphan(lost.id, notice)).toBe('closed');
    expect(await store.closeOrphan(lost.id, notice)).toBe('ended');
    expect(await store.adopt(lost)).toBe('ended');
    expect(await subject.notices()).toEqual([notice]);
    const live = await active(30 * MINUTE_MS);
    expect(await store.closeOrphan(live.id, noticeFor('expired', live, now))).toBe('exists');
    expect(await subject.notices()).toEqual([notice]);
  });
}
