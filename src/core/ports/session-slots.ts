/** What a lease's sessions are for; each kind has its own places. */
export type SessionKind = 'terminal' | 'exec';

/**
 * Places for a lease's live sessions, shared by every instance on one store, so that replicas
 * agree on how many terminals a lease has open and whether a command runs in it. A place lasts
 * `ttlMs` unless renewed: an instance that dies leaves no place taken for long.
 */
export interface SessionSlots {
  /** Takes one of at most `max` places (or renews the holder's own). @returns false when all are taken */
  take(kind: SessionKind, leaseId: string, holder: string, max: number, ttlMs: number): Promise<boolean>;
  release(kind: SessionKind, leaseId: string, holder: string): Promise<void>;
}
