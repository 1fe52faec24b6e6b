import type { CreateLimits, NewLease } from './lease-store.js';

/** An idle warm pool member as the store holds it. */
export interface PoolMember {
  readonly containerId: string;
  /** Epoch ms after which no claim takes it (a margin before its idle cap, when it is removed). */
  readonly claimableUntil: number;
}

/**
 * The warm pools' records: idle members per image type, taken atomically by a claim that writes the
 * lease in the same step, and the members claimed from them. A member claimed never returns.
 */
export interface PoolStore {
  /**
   * Writes the lease exactly as LeaseStore.create does, within the same limits, and takes an idle
   * member of its image type for it when one is claimable (by the store's clock).
   * @returns the member's container id, recorded on the lease; '' when none was ready
   * @throws as LeaseStore.create, and then no member is taken
   */
  claim(lease: NewLease, limits: CreateLimits): Promise<string>;
  add(imageType: string, member: PoolMember): Promise<void>;
  members(imageType: string): Promise<PoolMember[]>;
  /** Takes an idle member out to remove it. @returns false when a claim took it first */
  take(imageType: string, containerId: string): Promise<boolean>;
  /** Containers claimed from a pool (their lease's name may not be on them yet). */
  claimed(): Promise<ReadonlySet<string>>;
  /** Forgets claimed containers that are gone. */
  forgetClaimed(containerIds: readonly string[]): Promise<void>;
}
