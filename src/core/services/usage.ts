import { type AuditEntry, LEASE_END_ACTIONS } from '../domain/audit.js';

/** Lease-minutes of one owner, team or image over the window. */
export interface UsageRow {
  readonly key: string;
  readonly minutes: number;
  /** Leases that ran for some of the window. */
  readonly leases: number;
}

export interface UsageReport {
  readonly days: number;
  readonly from: number;
  readonly to: number;
  readonly totalMinutes: number;
  readonly byOwner: readonly UsageRow[];
  readonly byTeam: readonly UsageRow[];
  readonly byImage: readonly UsageRow[];
}

interface Span {
  owner: string;
  team: string;
  image: string;
  start?: number;
  end?: number;
}

const ENDS: ReadonlySet<string> = new Set(LEASE_END_ACTIONS);

/**
 * Lease-minutes over `[from, to]` from the audit trail: a lease runs from its activation (or
 * adoption) to its end, whose entry says how many seconds it ran, or to `to` while it still runs.
 * `entries` must reach back a lease's longest life (LEASE_MAX_TOTAL_MINUTES) before `from`, so
 * a lease that started earlier and ran into the window is counted.
 */
export function usageFrom(
  entries: readonly AuditEntry[],
  from: number,
  to: number,
  days: number,
): UsageReport {
  const spans = new Map<string, Span>();
  for (const entry of entries) {
    const span = spans.get(entry.leaseId) ?? { owner: entry.owner, team: entry.team, image: entry.image };
    spans.set(entry.leaseId, span);
    if ((entry.action === 'provision' && entry.outcome === 'active') || entry.action === 'adopt')
      span.start ??= entry.at;
    if (ENDS.has(entry.action)) {
      span.end = entry.at;
      const seconds = Number(entry.params.seconds ?? 0);
      span.start = seconds > 0 ? entry.at - seconds * 1000 : (span.start ?? entry.at);
    }
  }
  const byOwner = new Map<string, UsageRow>();
  const byTeam = new Map<string, UsageRow>();
  const byImage = new Map<string, UsageRow>();
  let total = 0;
  for (const span of spans.values()) {
    if (span.start === undefined) continue;
    const ms = Math.min(span.end ?? to, to) - Math.max(span.start, from);
    if (ms <= 0) continue;
    const minutes = ms / 60_000;
    total += minutes;
    add(byOwner, span.owner, minutes);
    add(byTeam, span.team, minutes);
    add(byImage, span.image, minutes);
  }
  return {
    days,
    from,
    to,
    totalMinutes: Math.round(total),
    byOwner: rows(byOwner),
    byTeam: rows(byTeam),
    byImage: rows(byImage),
  };
}

function add(rows: Map<string, UsageRow>, key: string, minutes: number): void {
  const row = rows.get(key) ?? { key, minutes: 0, leases: 0 };
  rows.set(key, { key, minutes: row.minutes + minutes, leases: row.leases + 1 });
}

function rows(map: Map<string, UsageRow>): UsageRow[] {
  return [...map.values()]
    .map((row) => ({ ...row, minutes: Math.round(row.minutes) }))
    .sort((a, b) => b.minutes - a.minutes || a.key.localeCompare(b.key));
}
