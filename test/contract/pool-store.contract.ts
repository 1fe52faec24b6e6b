import { afterEach, beforeEach, expect, it } from 'vitest';
import { MINUTE_MS } from '../../src/core/domain/lease.js';
import type { LeaseStore, NewLease } from '../../src/core/ports/lease-store.js';
import type { PoolStore } from '../../src/core/ports/pool-store.js';
import { codeOf } from '../support/outcomes.js';

export interface PoolStoreUnderTest {
  readonly pool: PoolStore;
  /** The lease store a claim writes through. */
  readonly leases: LeaseStore;
  /** The store's clock: claimability is judged by it. */
  now(): number;
  close(): Promise<void>;
}

const limits = { maxPerUser: 1, maxActive: 50, maxPerTeam: 0, provisionTimeoutMs: 10 * MINUTE_MS };
let sequence = 0;

/**
 * What every PoolStore promises. Runs against the Redis store (real Redis, its own clock) and the
 * in-memory double that the pool keeper's unit tests use, so the double cannot drift.
 */
export function poolStoreContract(make: () => Promise<PoolStoreUnderTest>): void {
  let subject: PoolStoreUnderTest;
  let pool: PoolStore;

  const draft = (owner = 'local:alice'): NewLease => {
    sequence += 1;
    const now = subject.now();
    return {
      id: `pool${String(sequence).padStart(6, '0')}`,
      owner,
      notify: { platform: 'local', user: owner.slice('local:'.length) },
      team: 'local',
      imageType: 'busybox',
      image: 'local/busybox:latest',
      createdAt: now,
      expiresAt: now + 60 * MINUTE_MS,
      hardCapAt: now + 120 * MINUTE_MS,
    };
  };
  const ids = async () => (await pool.members('busybox')).map((member) => member.containerId);

  beforeEach(async () => {
    subject = await make();
    pool = subject.pool;
  });
  afterEach(() => subject.close());

  it('GIVEN members added THEN they are listed by when each stops being claimable, per image type', async () => {
    const now = subject.now();
    await pool.add('busybox', { containerId: 'late', claimableUntil: now + 20 * MINUTE_MS });
    await pool.add('busybox', { containerId: 'early', claimableUntil: now + 10 * MINUTE_MS });
    await pool.add('python', { containerId: 'other', claimableUntil: now + 5 * MINUTE_MS });
    expect(await pool.members('busybox')).toEqual([
      { containerId: 'early', claimableUntil: now + 10 * MINUTE_MS },
      { containerId: 'late', claimableUntil: now + 20 * MINUTE_MS },
    ]);
    expect(await pool.members('alpine')).toEqual([]);
  });

  it('GIVEN a member THEN take removes it once; a second take, or one of a member never added, is false', async () => {
    await pool.add('busybox', { containerId: 'member', claimableUntil: subject.now() + MINUTE_MS });
    expect(await pool.take('busybox', 'member')).toBe(true);
    expect(await pool.take('busybox', 'member')).toBe(false);
    expect(await pool.take('busybox', 'stranger')).toBe(false);
    expect(await ids()).toEqual([]);
  });

  it('GIVEN claimable members THEN a claim writes the lease with the one nearest its cap, which leaves the pool for good and is claimed until forgotten', async () => {
    const now = subject.now();
    await pool.add('busybox', { containerId: 'later', claimableUntil: now + 20 * MINUTE_MS });
    await pool.add('busybox', { containerId: 'sooner', claimableUntil: now + 10 * MINUTE_MS });
    const lease = draft();
    expect(await pool.claim(lease, limits)).toBe('sooner');
    expect(await subject.leases.get(lease.id)).toMatchObject({
      id: lease.id,
      status: 'provisioning',
      containerId: 'sooner',
    });
    expect(await ids()).toEqual(['later']);
    expect(await pool.claimed()).toEqual(new Set(['sooner']));
    await pool.forgetClaimed(['sooner', 'never-claimed']);
    expect(await pool.claimed()).toEqual(new Set());
  });

  it('GIVEN only a member no longer claimable THEN a claim writes the lease and takes none', async () => {
    await pool.add('busybox', { containerId: 'stale', claimableUntil: subject.now() - MINUTE_MS });
    const lease = draft();
    expect(await pool.claim(lease, limits)).toBe('');
    expect(await subject.leases.get(lease.id)).toMatchObject({ status: 'provisioning', containerId: '' });
    expect(await ids()).toEqual(['stale']);
    expect(await pool.claimed()).toEqual(new Set());
  });

  it('GIVEN the owner at their quota THEN a claim is refused as a create is, and takes no member', async () => {
    await pool.add('busybox', { containerId: 'member', claimableUntil: subject.now() + 10 * MINUTE_MS });
    await subject.leases.create(draft(), limits);
    const refused = draft();
    expect(await codeOf(pool.claim(refused, limits))).toBe('quota_exceeded');
    expect(await subject.leases.get(refused.id)).toBeNull();
    expect(await ids()).toEqual(['member']);
    expect(await pool.claimed()).toEqual(new Set());
  });
}
