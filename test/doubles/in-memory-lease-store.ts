import { randomUUID } from 'node:crypto';
import { SCRIPT_CODES, scriptError } from '../../src/core/adapters/redis/script-errors.js';
import { type AuditRecord, SYSTEM_ACTOR } from '../../src/core/domain/audit.js';
import type { Lease } from '../../src/core/domain/lease.js';
import type { Notice } from '../../src/core/domain/notice.js';
import type { Clock } from '../../src/core/ports/clock.js';
import type {
  Claim,
  CleaningDecision,
  CreateLimits,
  LeaseEnd,
  LeaseStore,
  NewLease,
  OrphanOutcome,
  StopRequest,
} from '../../src/core/ports/lease-store.js';
import { InMemoryAuditTrail } from './in-memory-audit-trail.js';

/** As the Redis store's tombstones. */
const TOMBSTONE_MS = 60 * 60_000;

type Row = { -readonly [K in keyof Lease]: Lease[K] } & { claimToken?: string; activatedAt?: number };

/**
 * The lease store in memory, for unit tests. It follows the Lua scripts step by step, with `clock`
 * standing in for Redis's `TIME`; the contract suite runs against it and the Redis store alike.
 */
export class InMemoryLeaseStore implements LeaseStore {
  readonly rows = new Map<string, Row>();
  /** Lease id → score, as the `expiry` sorted set. */
  readonly expiry = new Map<string, number>();
  readonly warnings = new Map<string, number>();
  readonly notices: Notice[] = [];
  /** Lease id → until when it counts as ended (its tombstone). */
  readonly ended = new Map<string, number>();
  private readonly owners = new Map<string, Set<string>>();
  private readonly teams = new Map<string, Set<string>>();

  constructor(
    private readonly clock: Clock,
    private readonly options: { warnBeforeMs: number },
    /** Where the store records each change, as the scripts write the `audit` stream. */
    readonly audit = new InMemoryAuditTrail(clock),
  ) {}

  async create(lease: NewLease, limits: CreateLimits): Promise<void> {
    if (this.rows.has(lease.id)) throw scriptError(SCRIPT_CODES.exists, { id: lease.id });
    const record = (outcome: string) =>
      this.record(lease, {
        actor: lease.owner,
        action: 'provision',
        params: { minutes: Math.floor((lease.expiresAt - lease.createdAt) / 60_000) },
        outcome,
      });
    const refuse = (code: number, outcome: string) => {
      record(outcome);
      return scriptError(code, { id: lease.id, limits, team: lease.team });
    };
    if (setOf(this.owners, lease.owner).size >= limits.maxPerUser)
      throw refuse(SCRIPT_CODES.quota, 'refused: owner quota');
    if (limits.maxPerTeam > 0 && setOf(this.teams, lease.team).size >= limits.maxPerTeam)
      throw refuse(SCRIPT_CODES.teamQuota, 'refused: team quota');
    if (this.expiry.size >= limits.maxActive) throw refuse(SCRIPT_CODES.hostFull, 'refused: host full');
    this.rows.set(lease.id, { ...lease, containerId: '', status: 'provisioning', warnedAt: 0, warnedFor: 0 });
    this.expiry.set(lease.id, this.clock.now() + limits.provisionTimeoutMs);
    setOf(this.owners, lease.owner).add(lease.id);
    setOf(this.teams, lease.team).add(lease.id);
    record('provisioning');
  }

  async activate(id: string, containerId: string, expiresAt: number): Promise<Lease> {
    const row = this.rows.get(id);
    if (!row) throw scriptError(SCRIPT_CODES.notFound, { id });
    if (row.status !== 'provisioning') throw scriptError(SCRIPT_CODES.notActive, { id });
    Object.assign(row, { status: 'active', containerId, expiresAt, activatedAt: this.clock.now() });
    this.expiry.set(id, expiresAt);
    this.armWarning(id, expiresAt);
    this.record(row, {
      actor: row.owner,
      action: 'provision',
      params: { containerId, expiresAt },
      outcome: 'active',
    });
    return this.copy(row);
  }

  async adopt(lease: Lease): Promise<OrphanOutcome<'adopted'>> {
    if (this.rows.has(lease.id)) return 'exists';
    if (this.endedRecently(lease.id)) return 'ended';
    this.rows.set(lease.id, { ...lease, activatedAt: lease.createdAt });
    this.expiry.set(lease.id, lease.expiresAt);
    this.armWarning(lease.id, lease.expiresAt);
    setOf(this.owners, lease.owner).add(lease.id);
    setOf(this.teams, lease.team).add(lease.id);
    this.record(lease, {
      actor: SYSTEM_ACTOR,
      action: 'adopt',
      params: { containerId: lease.containerId, expiresAt: lease.expiresAt },
      outcome: 'adopted',
    });
    return 'adopted';
  }

  async closeOrphan(lease: Lease, notice: Notice): Promise<OrphanOutcome<'closed'>> {
    if (this.rows.has(lease.id)) return 'exists';
    if (this.endedRecently(lease.id)) return 'ended';
    this.ended.set(lease.id, this.clock.now() + TOMBSTONE_MS);
    this.notices.push(notice);
    this.record(lease, {
      actor: SYSTEM_ACTOR,
      action: 'expire',
      params: {
        containerId: lease.containerId,
        reconciled: true,
        seconds: Math.max((this.clock.now() - lease.createdAt) / 1000, 0),
      },
      outcome: 'removed',
    });
    return 'closed';
  }

  async get(id: string): Promise<Lease | null> {
    const row = this.rows.get(id);
    return row ? this.copy(row) : null;
  }

  async listByOwner(owner: string): Promise<Lease[]> {
    return this.sorted([...(this.owners.get(owner) ?? [])]);
  }

  async listAll(): Promise<Lease[]> {
    return this.sorted([...this.expiry.keys()]);
  }

  async count(): Promise<number> {
    return this.expiry.size;
  }

  async extend(id: string, byMs: number, actor: string): Promise<Lease> {
    const row = this.rows.get(id);
    if (!row) throw scriptError(SCRIPT_CODES.notFound, { id });
    if (row.status !== 'active') throw scriptError(SCRIPT_CODES.notActive, { id });
    const expiresAt = Math.max(row.expiresAt, this.clock.now()) + byMs;
    if (expiresAt > row.hardCapAt) throw scriptError(SCRIPT_CODES.pastHardCap, { id });
    row.expiresAt = expiresAt;
    this.expiry.set(id, expiresAt);
    this.armWarning(id, expiresAt);
    this.record(row, {
      actor,
      action: 'extend',
      params: { minutes: Math.floor(byMs / 60_000), expiresAt },
      outcome: 'extended',
    });
    return this.copy(row);
  }

  async delete(id: string, end: LeaseEnd): Promise<boolean> {
    this.expiry.delete(id);
    this.warnings.delete(id);
    this.ended.set(id, this.clock.now() + TOMBSTONE_MS);
    const row = this.rows.get(id);
    if (!row) return false;
    this.rows.delete(id);
    this.owners.get(row.owner)?.delete(id);
    this.teams.get(row.team)?.delete(id);
    if (end.notice) this.notices.push(end.notice);
    const seconds = row.activatedAt === undefined ? 0 : (this.clock.now() - row.activatedAt) / 1000;
    this.record(row, {
      actor: end.actor,
      action: end.action,
      params: {
        containerId: row.containerId,
        seconds: Math.max(seconds, 0),
        ...(row.stopReason ? { reason: row.stopReason } : {}),
      },
      outcome: 'removed',
    });
    return true;
  }

  async claimDue(limit: number, visibilityMs: number): Promise<Claim[]> {
    const now = this.clock.now();
    const token = randomUUID();
    const due = [...this.expiry.entries()]
      .filter(([, score]) => score <= now)
      .sort((a, b) => a[1] - b[1])
      .slice(0, limit);
    const claims: Claim[] = [];
    for (const [id] of due) {
      const row = this.rows.get(id);
      if (row?.status === 'active' && row.expiresAt > now) {
        this.expiry.set(id, row.expiresAt);
        continue;
      }
      if (row) row.claimToken = token;
      this.expiry.set(id, now + visibilityMs);
      claims.push({ id, token });
    }
    return claims;
  }

  async beginCleaning(claim: Claim): Promise<CleaningDecision> {
    const row = this.rows.get(claim.id);
    if (!row) return { kind: 'missing' };
    if (row.claimToken !== claim.token) return { kind: 'lost' };
    if (row.status === 'active' && row.expiresAt > this.clock.now()) {
      row.claimToken = undefined;
      this.expiry.set(claim.id, row.expiresAt);
      return { kind: 'released', lease: this.copy(row) };
    }
    if (row.status !== 'cleaning') {
      row.endedBy = row.status === 'active' ? 'expiry' : 'provision-timeout';
      row.status = 'cleaning';
    }
    return { kind: 'begun', lease: this.copy(row) };
  }

  async beginStop(id: string, visibilityMs: number, stop: StopRequest): Promise<Lease> {
    const row = this.rows.get(id);
    if (!row) throw scriptError(SCRIPT_CODES.notFound, { id });
    if (row.status === 'cleaning') throw scriptError(SCRIPT_CODES.notActive, { id });
    row.status = 'cleaning';
    row.endedBy = stop.ending ?? 'owner';
    row.stoppedBy = stop.by;
    if (stop.reason) row.stopReason = stop.reason;
    row.claimToken = randomUUID();
    this.expiry.set(id, this.clock.now() + visibilityMs);
    return this.copy(row);
  }

  async release(claim: Claim): Promise<void> {
    const row = this.rows.get(claim.id);
    if (!row || row.claimToken !== claim.token) return;
    row.claimToken = undefined;
    this.expiry.set(claim.id, row.status === 'active' ? row.expiresAt : this.clock.now());
  }

  async claimWarnings(limit: number): Promise<number> {
    const now = this.clock.now();
    const due = [...this.warnings.entries()]
      .filter(([, score]) => score <= now)
      .sort((a, b) => a[1] - b[1])
      .slice(0, limit);
    let queued = 0;
    for (const [id] of due) {
      this.warnings.delete(id);
      const row = this.rows.get(id);
      if (row?.status !== 'active' || row.warnedFor === row.expiresAt || row.expiresAt <= now) continue;
      row.warnedFor = row.expiresAt;
      row.warnedAt = now;
      this.notices.push({
        id: `warning:${id}:${row.expiresAt}`,
        kind: 'warning',
        leaseId: id,
        owner: row.owner,
        notify: row.notify,
        imageType: row.imageType,
        image: row.image,
        containerId: row.containerId,
        expiresAt: row.expiresAt,
        hardCapAt: row.hardCapAt,
        at: now,
      });
      queued += 1;
    }
    return queued;
  }

  async serverTime(): Promise<number> {
    return this.clock.now();
  }

  private record(
    lease: Pick<Lease, 'id' | 'owner' | 'team' | 'imageType'>,
    entry: Pick<AuditRecord, 'actor' | 'action' | 'params' | 'outcome'>,
  ): void {
    this.audit.append({
      ...entry,
      leaseId: lease.id,
      owner: lease.owner,
      team: lease.team,
      image: lease.imageType,
    });
  }

  private endedRecently(id: string): boolean {
    return (this.ended.get(id) ?? 0) > this.clock.now();
  }

  private armWarning(id: string, expiresAt: number): void {
    if (this.options.warnBeforeMs > 0) this.warnings.set(id, expiresAt - this.options.warnBeforeMs);
  }

  private sorted(ids: string[]): Lease[] {
    return ids
      .map((id) => this.rows.get(id))
      .filter((row): row is Row => row !== undefined)
      .map((row) => this.copy(row))
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  private copy(row: Row): Lease {
    const { claimToken: _token, activatedAt: _activatedAt, ...lease } = row;
    return { ...lease };
  }
}

function setOf(sets: Map<string, Set<string>>, key: string): Set<string> {
  let set = sets.get(key);
  if (!set) {
    set = new Set<string>();
    sets.set(key, set);
  }
  return set;
}
