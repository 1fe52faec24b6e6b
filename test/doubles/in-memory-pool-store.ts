import type { Clock } from '../../src/core/ports/clock.js';
import type { CreateLimits, NewLease } from '../../src/core/ports/lease-store.js';
import type { PoolMember, PoolStore } from '../../src/core/ports/pool-store.js';
import type { InMemoryLeaseStore } from './in-memory-lease-store.js';

/**
 * The warm pools in memory, for unit tests. It follows the Redis store: a member set per image type
 * ordered by when each stops being claimable, and the claim writing the lease through `leases`
 * (as claimPooled runs createLease) before it takes the member nearest its cap that `clock` still
 * allows. The pool store contract runs against it and the Redis store alike.
 */
export class InMemoryPoolStore implements PoolStore {
  private readonly pools = new Map<string, Map<string, number>>();
  /** Container id → lease id, as the `pool-claimed` hash. */
  private readonly claims = new Map<string, string>();

  constructor(
    private readonly leases: InMemoryLeaseStore,
    private readonly clock: Clock,
  ) {}

  async claim(lease: NewLease, limits: CreateLimits): Promise<string> {
    await this.leases.create(lease, limits);
    const member = (await this.members(lease.imageType)).find(
      (candidate) => candidate.claimableUntil > this.clock.now(),
    );
    if (!member) return '';
    this.pool(lease.imageType).delete(member.containerId);
    this.claims.set(member.containerId, lease.id);
    const row = this.leases.rows.get(lease.id);
    if (row) row.containerId = member.containerId;
    return member.containerId;
  }

  async add(imageType: string, member: PoolMember): Promise<void> {
    this.pool(imageType).set(member.containerId, member.claimableUntil);
  }

  async members(imageType: string): Promise<PoolMember[]> {
    return [...this.pool(imageType)]
      .map(([containerId, claimableUntil]) => ({ containerId, claimableUntil }))
      .sort((a, b) => a.claimableUntil - b.claimableUntil || a.containerId.localeCompare(b.containerId));
  }

  async take(imageType: string, containerId: string): Promise<boolean> {
    return this.pool(imageType).delete(containerId);
  }

  async claimed(): Promise<ReadonlySet<string>> {
    return new Set(this.claims.keys());
  }

  async forgetClaimed(containerIds: readonly string[]): Promise<void> {
    for (const id of containerIds) this.claims.delete(id);
  }

  private pool(imageType: string): Map<string, number> {
    let pool = this.pools.get(imageType);
    if (!pool) {
      pool = new Map();
      this.pools.set(imageType, pool);
    }
    return pool;
  }
}
