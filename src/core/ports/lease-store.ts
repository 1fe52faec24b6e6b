import type { LeaseEndAction } from '../domain/audit.js';
import type { Lease, LeaseEnding, NotifyTarget } from '../domain/lease.js';
import type { Notice } from '../domain/notice.js';

/** Why a lease is stopped before its expiry. */
export type StopReason = Extract<LeaseEnding, 'owner' | 'disk'>;

/** A lease as first written, before its container exists. */
export interface NewLease {
  readonly id: string;
  readonly owner: string;
  readonly notify: NotifyTarget;
  readonly team: string;
  readonly imageType: string;
  readonly image: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly hardCapAt: number;
}

export interface CreateLimits {
  /** Leases one owner may hold at once, counted atomically with the write. */
  readonly maxPerUser: number;
  /** Leases of all owners together, counted atomically with the write (LEASE_MAX_ACTIVE). */
  readonly maxActive: number;
  /** Leases of the lease's team together (TEAM_QUOTAS); 0 when the team has no limit. */
  readonly maxPerTeam: number;
  /** A lease still `provisioning` this long after creation is due for cleanup. */
  readonly provisionTimeoutMs: number;
}

/** How a lease ends, as the audit trail records it, and the notice its owner gets, if any. */
export interface LeaseEnd {
  readonly action: LeaseEndAction;
  /** Who ended it: the stopper, or `system`. */
  readonly actor: string;
  readonly notice?: Notice;
}

/** Who stops a lease, and why when an admin says. */
export interface StopRequest {
  readonly by: string;
  readonly reason?: string;
  /** What the lease is recorded as ended by. @defaultValue 'owner' */
  readonly ending?: StopReason;
}

/** What became of a labelled container's lease that had no record when the reconciler looked. */
export type OrphanOutcome<Done extends string> = Done | 'exists' | 'ended';

/** A due lease taken by one cleanup run; the token proves the run still holds it. */
export interface Claim {
  readonly id: string;
  readonly token: string;
}

/** What the cleaner learns when it re-reads a claimed lease just before removing it. */
export type CleaningDecision =
  | { readonly kind: 'begun'; readonly lease: Lease }
  | { readonly kind: 'released'; readonly lease: Lease }
  | { readonly kind: 'missing' }
  | { readonly kind: 'lost' };

/**
 * Durable lease records and the expiry index. Every check-and-change is atomic in the store, so
 * concurrent provisions, extensions and cleanup runs (in any number of processes) cannot interleave.
 * Due-ness is judged by the store's own clock.
 */
export interface LeaseStore {
  /**
   * @throws quota_exceeded when the owner already holds `maxPerUser` leases, the team
   * `maxPerTeam`, or all owners together `maxActive`; conflict when the id exists. The request,
   * and a refusal by a quota, are recorded in the audit trail.
   */
  create(lease: NewLease, limits: CreateLimits): Promise<void>;
  /**
   * provisioning → active, with the container and the real expiry.
   * @throws not_found or conflict when cleanup took the lease meanwhile (the caller removes its container).
   */
  activate(id: string, containerId: string, expiresAt: number): Promise<Lease>;
  /**
   * Writes back an active lease rebuilt from its container's labels. `exists` when the record
   * exists; `ended` when the lease ended recently (deleted, or closed as an orphan): a stop or a
   * cleanup finished after the reconciler listed the container, which is gone or going.
   */
  adopt(lease: Lease): Promise<OrphanOutcome<'adopted'>>;
  /**
   * Marks the lease of an orphan container removed at its labelled expiry as ended, queues
   * `notice` and records the removal, once; `exists` or `ended` as for adopt, and then nothing is
   * queued or recorded. `lease` is what its labels say.
   */
  closeOrphan(lease: Lease, notice: Notice): Promise<OrphanOutcome<'closed'>>;
  get(id: string): Promise<Lease | null>;
  listByOwner(owner: string): Promise<Lease[]>;
  listAll(): Promise<Lease[]>;
  /** How many leases exist, in any state. */
  count(): Promise<number>;
  /**
   * Moves the expiry of an active lease by `byMs`, recorded as done by `actor`.
   * @throws not_found; conflict once cleaning began; limit_exceeded past the hard cap.
   */
  extend(id: string, byMs: number, actor: string): Promise<Lease>;
  /**
   * Deletes the lease and its index entries; queues the end's notice and records the end in the
   * same step. False when already gone (nothing recorded). The caller has removed the lease's
   * containers; the lease counts as ended for a while.
   */
  delete(id: string, end: LeaseEnd): Promise<boolean>;
  /** Takes up to `limit` due leases and hides them from other runs for `visibilityMs`. */
  claimDue(limit: number, visibilityMs: number): Promise<Claim[]>;
  /**
   * Re-reads a claimed lease: `begun` marks it cleaning (extensions refused from now on),
   * `released` puts back one extended after the claim, `missing` and `lost` tell the run to skip it.
   */
  beginCleaning(claim: Claim): Promise<CleaningDecision>;
  /**
   * A stop before expiry (its owner's, an admin's, or the job's for going over its disk limit):
   * marks the lease cleaning, records who stopped it and why, and hides it from the job for
   * `visibilityMs`, after which the job finishes what the stop could not.
   * @throws not_found; conflict when cleanup began.
   */
  beginStop(id: string, visibilityMs: number, stop: StopRequest): Promise<Lease>;
  /** Gives up a claim: the lease becomes due again at its expiry. */
  release(claim: Claim): Promise<void>;
  /** Queues a warning notice for each lease whose warning time has come, once per expiry. */
  claimWarnings(limit: number): Promise<number>;
  /** Epoch milliseconds by the store's clock, the one that judges due-ness. */
  serverTime(): Promise<number>;
}
