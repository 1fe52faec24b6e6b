import { randomUUID } from 'node:crypto';
import { DEFAULT_AUDIT_RETENTION_MS } from '../../domain/audit.js';
import type { Lease } from '../../domain/lease.js';
import type { Notice } from '../../domain/notice.js';
import type {
  Claim,
  CleaningDecision,
  CreateLimits,
  LeaseEnd,
  LeaseStore,
  NewLease,
  OrphanOutcome,
  StopRequest,
} from '../../ports/lease-store.js';
import type { RedisKeys } from './keys.js';
import { leaseFields, leaseFromRecord, pairsToRecord, recordFields } from './lease-record.js';
import { type RedisClient, storeCall } from './redis-connection.js';
import { SCRIPT_CODES, scriptError } from './script-errors.js';

/**
 * How long a lease counts as ended after its record is deleted: far longer than a reconciliation
 * pass takes between listing containers and settling each one.
 */
const TOMBSTONE_MS = 60 * 60_000;

export interface RedisLeaseStoreOptions {
  /** How long before expiry the owner is warned; 0 disables warnings. */
  readonly warnBeforeMs: number;
  /**
   * After an activation or an extension, the two writes whose loss in a failover would end a
   * container before the expiry its owner was told, wait (WAIT) until this many replicas have
   * them, or the timeout passes. For a client that sends every command to one primary
   * (Sentinel); unset, nothing waits. @defaultValue unset
   */
  readonly replicaAcks?: { readonly replicas: number; readonly timeoutMs: number };
  /** Audit entries older than this are trimmed as new ones are written (AUDIT_RETENTION_DAYS). @defaultValue 90 days */
  readonly auditRetentionMs?: number;
}

/** The lease store on RedisClient, with the keys and scripts of docs/architecture.md; every check-and-change is one Lua script. */
export class RedisLeaseStore implements LeaseStore {
  private readonly auditRetentionMs: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly options: RedisLeaseStoreOptions,
  ) {
    this.auditRetentionMs = options.auditRetentionMs ?? DEFAULT_AUDIT_RETENTION_MS;
  }

  create(lease: NewLease, limits: CreateLimits): Promise<void> {
    return this.call(async () => {
      const { keys, args } = createLeaseCall(this.keys, lease, limits, this.auditRetentionMs);
      const reply = await this.redis.createLease(
        ...(keys as [string, string, string, string, string]),
        ...args,
      );
      if (reply < 0) throw scriptError(reply, { id: lease.id, limits, team: lease.team });
    });
  }

  activate(id: string, containerId: string, expiresAt: number): Promise<Lease> {
    return this.call(async () => {
      const { keys } = this;
      const reply = await this.redis.activateLease(
        keys.lease(id),
        keys.expiry(),
        keys.warnings(),
        keys.container(containerId),
        keys.audit(),
        id,
        containerId,
        expiresAt,
        this.options.warnBeforeMs,
        this.auditRetentionMs,
      );
      return this.replicated(this.leaseOrThrow(reply, id));
    });
  }

  adopt(lease: Lease): Promise<OrphanOutcome<'adopted'>> {
    return this.call(async () => {
      const { keys } = this;
      const reply = await this.redis.adoptLease(
        keys.lease(lease.id),
        keys.expiry(),
        keys.warnings(),
        keys.container(lease.containerId),
        keys.audit(),
        keys.base,
        lease.id,
        this.options.warnBeforeMs,
        this.auditRetentionMs,
        ...recordFields(lease),
      );
      return orphanOutcome(reply, 'adopted');
    });
  }

  closeOrphan(lease: Lease, notice: Notice): Promise<OrphanOutcome<'closed'>> {
    return this.call(async () => {
      const reply = await this.redis.closeOrphan(
        this.keys.lease(lease.id),
        this.keys.notifications(),
        this.keys.audit(),
        this.keys.base,
        lease.id,
        TOMBSTONE_MS,
        JSON.stringify(notice),
        this.auditRetentionMs,
        lease.team,
        lease.createdAt,
      );
      return orphanOutcome(reply, 'closed');
    });
  }

  get(id: string): Promise<Lease | null> {
    return this.call(async () => leaseFromRecord(await this.redis.hgetall(this.keys.lease(id))));
  }

  listByOwner(owner: string): Promise<Lease[]> {
    return this.call(async () => this.readAll(await this.redis.smembers(this.keys.owner(owner))));
  }

  listAll(): Promise<Lease[]> {
    return this.call(async () => this.readAll(await this.redis.zrange(this.keys.expiry(), '0', '-1')));
  }

  count(): Promise<number> {
    return this.call(() => this.redis.zcard(this.keys.expiry()));
  }

  extend(id: string, byMs: number, actor: string): Promise<Lease> {
    return this.call(async () => {
      const { keys } = this;
      const reply = await this.redis.extendLease(
        keys.lease(id),
        keys.expiry(),
        keys.warnings(),
        keys.audit(),
        id,
        byMs,
        this.options.warnBeforeMs,
        actor,
        this.auditRetentionMs,
      );
      return this.replicated(this.leaseOrThrow(reply, id));
    });
  }

  /** `result`, once the replicas have what was written so far (see `replicaAcks`). */
  private async replicated<T>(result: T): Promise<T> {
    const acks = this.options.replicaAcks;
    if (acks) await this.redis.wait(acks.replicas, acks.timeoutMs);
    return result;
  }

  delete(id: string, end: LeaseEnd): Promise<boolean> {
    return this.call(async () => {
      const { keys } = this;
      const reply = await this.redis.deleteLease(
        keys.lease(id),
        keys.expiry(),
        keys.warnings(),
        keys.notifications(),
        keys.audit(),
        keys.base,
        id,
        end.notice ? JSON.stringify(end.notice) : '',
        TOMBSTONE_MS,
        end.action,
        end.actor,
        this.auditRetentionMs,
      );
      return reply === 1;
    });
  }

  claimDue(limit: number, visibilityMs: number): Promise<Claim[]> {
    return this.call(async () => {
      const token = randomUUID();
      const ids = await this.redis.claimDue(this.keys.expiry(), this.keys.base, limit, visibilityMs, token);
      return ids.map((id) => ({ id, token }));
    });
  }

  beginCleaning(claim: Claim): Promise<CleaningDecision> {
    return this.call(async () => {
      const [code, flat] = await this.redis.beginCleaning(
        this.keys.lease(claim.id),
        this.keys.expiry(),
        claim.id,
        claim.token,
      );
      // The script replies with the lease only when it began (1) or released (2) its cleaning.
      const lease = flat ? leaseFromRecord(pairsToRecord(flat)) : null;
      if (!lease) return code === SCRIPT_CODES.claimLost ? { kind: 'lost' } : { kind: 'missing' };
      return code === 1 ? { kind: 'begun', lease } : { kind: 'released', lease };
    });
  }

  beginStop(id: string, visibilityMs: number, stop: StopRequest): Promise<Lease> {
    return this.call(async () => {
      const reply = await this.redis.beginStop(
        this.keys.lease(id),
        this.keys.expiry(),
        id,
        visibilityMs,
        randomUUID(),
        stop.by,
        stop.reason ?? '',
        stop.ending ?? 'owner',
      );
      return this.leaseOrThrow(reply, id);
    });
  }

  release(claim: Claim): Promise<void> {
    return this.call(async () => {
      await this.redis.releaseLease(this.keys.lease(claim.id), this.keys.expiry(), claim.id, claim.token);
    });
  }

  claimWarnings(limit: number): Promise<number> {
    return this.call(() =>
      this.redis.claimWarnings(this.keys.warnings(), this.keys.notifications(), this.keys.base, limit),
    );
  }

  serverTime(): Promise<number> {
    return this.call(async () => {
      const [seconds, micros] = await this.redis.time();
      return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    });
  }

  /** The leases of `ids` in one round trip (none for no ids: ioredis answers an empty pipeline itself). */
  private async readAll(ids: readonly string[]): Promise<Lease[]> {
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.lease(id));
    // Stryker disable next-line ArrayDeclaration: exec() replies null only for a discarded MULTI, never for a pipeline
    const replies = (await pipeline.exec()) ?? [];
    const leases: Lease[] = [];
    for (const [error, record] of replies) {
      if (error) throw error;
      const lease = leaseFromRecord(record as Record<string, string>);
      if (lease) leases.push(lease);
    }
    return leases.sort((a, b) => a.createdAt - b.createdAt);
  }

  private leaseOrThrow(reply: number | string[], id: string): Lease {
    if (typeof reply === 'number') throw scriptError(reply, { id });
    const lease = leaseFromRecord(pairsToRecord(reply));
    // Stryker disable next-line ObjectLiteral: the scripts reply with a record only after reading or writing its hash, so this is never reached
    if (!lease) throw scriptError(SCRIPT_CODES.notFound, { id });
    return lease;
  }

  private call<T>(operation: () => Promise<T>): Promise<T> {
    return storeCall(this.redis, operation);
  }
}

/** createLease's keys and arguments; claimPooled runs createLease with the same. */
export function createLeaseCall(
  keys: RedisKeys,
  lease: NewLease,
  limits: CreateLimits,
  auditRetentionMs: number,
): { keys: string[]; args: Array<string | number> } {
  return {
    keys: [keys.lease(lease.id), keys.expiry(), keys.owner(lease.owner), keys.team(lease.team), keys.audit()],
    args: [
      lease.id,
      limits.maxPerUser,
      limits.maxActive,
      limits.provisionTimeoutMs,
      limits.maxPerTeam,
      auditRetentionMs,
      ...leaseFields(lease),
    ],
  };
}

function orphanOutcome<Done extends string>(reply: number, done: Done): OrphanOutcome<Done> {
  if (reply === 1) return done;
  return reply === SCRIPT_CODES.endedRecently ? 'ended' : 'exists';
}
