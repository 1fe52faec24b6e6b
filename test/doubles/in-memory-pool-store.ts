import type { Clock } from '../../src/core/ports/clock.js';
import type { CreateLimits, NewLease } from '../../src/core/ports/lease-store.js';
import type { PoolMember, PoolStore } from '../../src/core/ports/pool-store.js';
import type { InMemoryLeaseStore } from './in-memory-lease-store.js';

/**
 * The warm pools in memory, beside an InMemoryLeaseStore, following claimPooled: a claim writes the
 * lease as the store's create does (its refusals included, and then no member is taken), then takes
 * the member of the image type that stops being claimable soonest, still claimable by `clock`.
 */
export class InMemoryPoolStore implements PoolStore {
  /** Image type → container id → claimable until. */
  private readonly pools = new Map<string, Map<string, number>>();
  /** Claimed container id → its lease id. */
  private readonly claimedBy = new Map<string, string>();

  constructor(
    private readonly leases: InMemoryLeaseStore,
    private readonly clock: Clock,
  ) {}

  async claim(lease: NewLease, limits: CreateLimits): Promise<string> {
    await this.leases.create(lease, limits);
    const pool = this.pools.get(lease.imageType) ?? new Map<string, number>();
    const [member] = [...pool]
      .filter(([, until]) => until > this.clock.now())
      .sort(([a, untilA], [b, untilB]) => untilA - untilB || a.localeCompare(b));
    if (!member) return '';
    const [containerId] = member;
    pool.delete(containerId);
    this.claimedBy.set(containerId, lease.id);
    const row = this.leases.rows.get(lease.id);
    if (row) row.containerId = containerId;
    return containerId;
  }

  async add(imageType: string, member: PoolMember): Promise<void> {
    const pool = this.pools.get(imageType) ?? new Map<string, number>();
    pool.set(member.containerId, member.claimableUntil);
    this.pools.set(imageType, pool);
  }

  async members(imageType: string): Promise<PoolMember[]> {
    return [...(this.pools.get(imageType) ?? [])]
      .map(([containerId, claimableUntil]) => ({ containerId, claimableUntil }))
      .sort((a, b) => a.claimableUntil - b.claimableUntil || a.containerId.localeCompare(b.containerId));
  }

  async take(imageType: string, containerId: string): Promise<boolean> {
    return this.pools.get(imageType)?.delete(containerId) ?? false;
  }

  async claimed(): Promise<ReadonlySet<string>> {
    return new Set(this.claimedBy.keys());
  }

  async forgetClaimed(containerIds: readonly string[]): Promise<void> {
    for (const id of containerIds) this.claimedBy.delete(id);
  }
}
