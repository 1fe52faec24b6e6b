/**
 * A named lock with a lifetime, shared by every instance on one store: the cleanup job takes it
 * so that one instance of several runs at a time. An efficiency lock: the cleanup is idempotent,
 * so if it ever fails two instances merely do the same work.
 */
export interface Lock {
  /** @returns the holder's token, or null when another holder has it */
  acquire(name: string, ttlMs: number): Promise<string | null>;
  /** @returns false when the lock had expired and someone else holds it now */
  release(name: string, token: string): Promise<boolean>;
}
