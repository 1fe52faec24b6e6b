import type { Lease } from '../../src/core/domain/lease.js';
import type { NoticeSubject } from '../../src/core/domain/notice.js';
import { teamOf } from '../../src/core/domain/team.js';
import type { LeaseStore } from '../../src/core/ports/lease-store.js';

/** The leases as a test says they stand now, for what only looks leases up (the notice dispatcher). */
export class LeaseLookup implements Pick<LeaseStore, 'get'> {
  private readonly leases = new Map<string, Lease>();

  /** Records the lease a notice is about as active, with the notice's expiry; returns this lookup. */
  active(subject: NoticeSubject): this {
    this.leases.set(subject.id, {
      ...subject,
      team: teamOf(subject.notify),
      createdAt: subject.expiresAt - 60 * 60_000,
      status: 'active',
      warnedAt: 0,
      warnedFor: 0,
    });
    return this;
  }

  /** Changes what the lease `id` is now (its owner stopped it, or extended it). */
  change(id: string, change: Partial<Pick<Lease, 'status' | 'expiresAt'>>): void {
    const lease = this.leases.get(id);
    if (lease) this.leases.set(id, { ...lease, ...change });
  }

  /** Forgets the lease `id`, as its record is deleted once it has ended. */
  remove(id: string): void {
    this.leases.delete(id);
  }

  async get(id: string): Promise<Lease | null> {
    return this.leases.get(id) ?? null;
  }
}
