import { LEASE_END_ACTIONS } from '../domain/audit.js';
import type { AuditTrail } from '../ports/audit-trail.js';

/** The lease-seconds of leases that ended, by image and team. */
export interface LeaseSeconds {
  readonly image: string;
  readonly team: string;
  readonly seconds: number;
}

const ENDS: ReadonlySet<string> = new Set(LEASE_END_ACTIONS);
/** Entries read per call at most, so a scrape after a long pause stays short; the rest comes next time. */
const MAX_PER_TAKE = 10_000;
const PAGE = 1000;

/**
 * Follows the audit trail from a starting time and hands over the seconds each lease ran as its
 * end is recorded, for the Prometheus counter `containerlease_lease_seconds_total`: every
 * instance counts the ends it reads after it started, as a counter restarting from zero does.
 */
export class LeaseSecondsTally {
  private after: string | undefined;
  /** The read in progress, which the next one waits for. */
  private reading: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly audit: AuditTrail,
    private readonly since: number,
  ) {}

  /** The ends recorded since the last call; calls overlapping in time read each end once. */
  take(): Promise<LeaseSeconds[]> {
    const next = this.reading.then(
      () => this.read(),
      () => this.read(),
    );
    this.reading = next;
    return next;
  }

  /** The place in the trail moves only once a read succeeded, so a failed one is read again. */
  private async read(): Promise<LeaseSeconds[]> {
    const ended: LeaseSeconds[] = [];
    let after = this.after;
    for (let read = 0; read < MAX_PER_TAKE; read += PAGE) {
      const page = await this.audit.query(
        after ? { after, limit: PAGE } : { since: this.since, limit: PAGE },
      );
      for (const entry of page.entries) {
        const seconds = Number(entry.params.seconds ?? 0);
        if (ENDS.has(entry.action) && seconds > 0)
          ended.push({ image: entry.image, team: entry.team, seconds });
      }
      after = page.entries.at(-1)?.id ?? after;
      if (!page.next) break;
    }
    this.after = after;
    return ended;
  }
}
