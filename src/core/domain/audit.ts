/**
 * The audit trail: one entry per change of a lease's state, written by the store in the same
 * atomic step as the change (docs/architecture.md, "The audit trail").
 */

export const DAY_MS = 24 * 60 * 60_000;

/** AUDIT_RETENTION_DAYS when unset. */
export const DEFAULT_AUDIT_RETENTION_DAYS = 90;
export const DEFAULT_AUDIT_RETENTION_MS = DEFAULT_AUDIT_RETENTION_DAYS * DAY_MS;

/** Who acts when no person does: the cleanup job and the reconciler. */
export const SYSTEM_ACTOR = 'system';

/**
 * `provision` (asked, refused by a quota, or active), `extend`, the ends of a lease (`stop`,
 * `expire`, `provision-timeout`, `provision-failed`, `vanished`), `adopt` (re-adopted from its
 * container's labels), and what happens inside a running lease (`terminal-open`,
 * `terminal-close`, `exec`).
 */
export type AuditAction =
  | 'provision'
  | 'extend'
  | LeaseEndAction
  | 'adopt'
  | 'terminal-open'
  | 'terminal-close'
  | 'exec';

/** How a lease ended, as its last audit entry says. */
export type LeaseEndAction = 'stop' | 'expire' | 'provision-timeout' | 'provision-failed' | 'vanished';

export const LEASE_END_ACTIONS: readonly LeaseEndAction[] = [
  'stop',
  'expire',
  'provision-timeout',
  'provision-failed',
  'vanished',
];

export type AuditParams = Readonly<Record<string, string | number | boolean>>;

export interface AuditEntry {
  /** The stream entry id: ordered, and its first part is `at`. */
  readonly id: string;
  /** Epoch ms, by the store's clock. */
  readonly at: number;
  /** An owner identity, or `system`. */
  readonly actor: string;
  /** The actor's platform (`slack`, `discord`, `api`, `local`, `system`). */
  readonly platform: string;
  readonly action: AuditAction;
  readonly leaseId: string;
  readonly owner: string;
  readonly team: string;
  /** The image type (catalog name). */
  readonly image: string;
  readonly params: AuditParams;
  /** What came of it: `provisioning`, `active`, `extended`, `removed`, `adopted`, `refused: …`. */
  readonly outcome: string;
}

/** An entry the caller writes itself, for a change no store script makes (a terminal, an exec). */
export type AuditRecord = Omit<AuditEntry, 'id' | 'at' | 'platform'>;
