import type { PoolStore } from '../ports/pool-store.js';

/** The warm pools as provisioning uses them (the PoolKeeper keeps them filled). */
export interface WarmPool {
  readonly store: PoolStore;
  /** Whether POOL keeps members of this image type. */
  keeps(imageType: string): boolean;
  /** A claim was made: `hit` when it took a member. Refills the pool in the background. */
  claimed(imageType: string, hit: boolean): void;
}
