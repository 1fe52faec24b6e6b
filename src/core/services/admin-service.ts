import type { LeasePolicy } from '../config/config.js';
import { type AuditEntry, DAY_MS } from '../domain/audit.js';
import type { LeaseView } from '../domain/lease.js';
import { MINUTE_MS } from '../domain/lease.js';
import { ForbiddenError, ValidationError } from '../errors.js';
import type { AuditPage, AuditQuery, AuditTrail } from '../ports/audit-trail.js';
import type { Clock } from '../ports/clock.js';
import type { Actor } from './access-policy.js';
import { requireLeaseId } from './lease-rules.js';
import type { LeaseService } from './lease-service.js';
import { type UsageReport, usageFrom } from './usage.js';

export interface AdminServiceDeps {
  readonly leases: LeaseService;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly policy: Pick<LeasePolicy, 'maxTotalMinutes'>;
}

/** Most audit entries one page returns; `limit` asks for fewer. */
export const AUDIT_PAGE_LIMIT = 1000;
/** Longest window `usage` sums over: AUDIT_RETENTION_DAYS's default, the trail's usual reach. */
export const USAGE_MAX_DAYS = 90;
/** Longest reason an admin gives for a stop (it is shown to the owner and kept in the trail). */
export const STOP_REASON_MAX = 200;
/**
 * Entries one usage report reads at most: about a thousand leases a day for 30 days, many times
 * over. Past it the report says it is partial rather than holding the whole trail in memory.
 */
export const USAGE_MAX_ENTRIES = 200_000;

/** What an admin asks of the trail; the page size is bounded by AUDIT_PAGE_LIMIT. */
export type AuditRequest = Omit<AuditQuery, 'limit'> & { readonly limit?: number };

/**
 * The operators' use cases: stop anyone's lease saying why (its owner is told), list every lease,
 * read the audit trail and sum usage from it. Only ADMINS may; anyone else gets a clear refusal.
 */
export class AdminService {
  constructor(private readonly deps: AdminServiceDeps) {}

  async stop(actor: Actor, id: string, reason?: string): Promise<void> {
    requireAdmin(actor, 'stop leases as an admin');
    const text = reason?.trim();
    if (text && text.length > STOP_REASON_MAX)
      throw new ValidationError(
        `A reason is at most ${STOP_REASON_MAX} characters (this one has ${text.length}).`,
      );
    await this.deps.leases.stop(actor, id, text || undefined);
  }

  list(actor: Actor): Promise<LeaseView[]> {
    requireAdmin(actor, 'list every lease');
    return this.deps.leases.list(actor, { all: true });
  }

  audit(actor: Actor, request: AuditRequest): Promise<AuditPage> {
    requireAdmin(actor, 'read the audit trail');
    const limit = request.limit ?? AUDIT_PAGE_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_PAGE_LIMIT)
      throw new ValidationError(`limit is a whole number from 1 to ${AUDIT_PAGE_LIMIT} (AUDIT_PAGE_LIMIT).`);
    const leaseId = request.leaseId === undefined ? undefined : requireLeaseId(request.leaseId);
    // An absent bound is open.
    if ((request.since ?? Number.NEGATIVE_INFINITY) > (request.until ?? Number.POSITIVE_INFINITY))
      throw new ValidationError('since must not be after until.');
    return this.deps.audit.query({ ...request, leaseId, limit });
  }

  async usage(actor: Actor, days: number): Promise<UsageReport & { readonly partial: boolean }> {
    requireAdmin(actor, 'see usage');
    if (!Number.isInteger(days) || days < 1 || days > USAGE_MAX_DAYS)
      throw new ValidationError(`Usage covers a whole number of days from 1 to ${USAGE_MAX_DAYS}.`);
    const to = this.deps.clock.now();
    const from = to - days * DAY_MS;
    // Stryker disable next-line ArrayDeclaration: a seeded non-entry names no lease start, so usageFrom skips it
    const entries: AuditEntry[] = [];
    let after: string | undefined;
    do {
      const page = await this.deps.audit.query({
        since: from - this.deps.policy.maxTotalMinutes * MINUTE_MS,
        until: to,
        limit: AUDIT_PAGE_LIMIT,
        after,
      });
      entries.push(...page.entries);
      after = page.next;
    } while (after && entries.length < USAGE_MAX_ENTRIES);
    return { ...usageFrom(entries, from, to, days), partial: after !== undefined };
  }
}

function requireAdmin(actor: Actor, what: string): void {
  if (!actor.isAdmin) throw new ForbiddenError(`Only admins (ADMINS) can ${what}.`);
}
