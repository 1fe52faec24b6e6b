import type { AuditEntry, AuditRecord } from '../../src/core/domain/audit.js';
import { platformOf } from '../../src/core/domain/owner.js';
import type { AuditPage, AuditQuery, AuditTrail } from '../../src/core/ports/audit-trail.js';
import type { Clock } from '../../src/core/ports/clock.js';

/** The audit trail in memory: entries in order, each stamped by `clock` as Redis stamps them. */
export class InMemoryAuditTrail implements AuditTrail {
  readonly entries: AuditEntry[] = [];
  private sequence = 0;

  constructor(private readonly clock: Clock) {}

  async query(query: AuditQuery): Promise<AuditPage> {
    const after = query.after ? this.entries.findIndex((entry) => entry.id === query.after) + 1 : 0;
    const matching = this.entries
      .slice(after)
      .filter(
        (entry) =>
          (query.leaseId === undefined || entry.leaseId === query.leaseId) &&
          (query.owner === undefined || entry.owner === query.owner) &&
          (query.since === undefined || entry.at >= query.since) &&
          (query.until === undefined || entry.at <= query.until),
      );
    const entries = matching.slice(0, query.limit);
    const last = entries.at(-1);
    return matching.length > query.limit && last ? { entries, next: last.id } : { entries };
  }

  async record(entry: AuditRecord): Promise<void> {
    this.append(entry);
  }

  /** What the store's scripts do inside each change. */
  append(entry: AuditRecord): void {
    const at = this.clock.now();
    this.sequence += 1;
    this.entries.push({
      ...entry,
      id: `${at}-${this.sequence}`,
      at,
      platform: platformOf(entry.actor) || entry.actor,
    });
  }
}
