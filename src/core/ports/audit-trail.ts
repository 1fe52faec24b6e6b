import type { AuditEntry, AuditRecord } from '../domain/audit.js';

/** Which entries to read; every filter is optional. Times are epoch ms, inclusive. */
export interface AuditQuery {
  readonly leaseId?: string;
  readonly owner?: string;
  readonly since?: number;
  readonly until?: number;
  /** At most this many entries come back. */
  readonly limit: number;
  /** Continue after this entry id (the `next` of the previous page). */
  readonly after?: string;
}

export interface AuditPage {
  /** Oldest first. */
  readonly entries: readonly AuditEntry[];
  /** Where the next page starts; absent when this page reached the end of the range. */
  readonly next?: string;
}

/**
 * The audit trail as readers and the few writers outside the store scripts see it. The store
 * writes the entries of every change it makes itself, atomically with the change.
 */
export interface AuditTrail {
  query(query: AuditQuery): Promise<AuditPage>;
  /** Appends an entry by the store's clock, for a change that no store script makes. */
  record(entry: AuditRecord): Promise<void>;
}
