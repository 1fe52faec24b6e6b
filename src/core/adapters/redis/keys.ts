/**
 * The only place that spells Redis key names. Every key shares the `{leases}` hash tag, so multi-key
 * scripts (which also build a few keys inside Lua from `base`) stay on one slot of a Redis Cluster.
 */
export class RedisKeys {
  /** `cl:{leases}:` — scripts receive it to name per-lease keys they discover while running. */
  readonly base: string;

  constructor(prefix: string) {
    this.base = `${prefix}{leases}:`;
  }

  lease(id: string): string {
    return `${this.base}lease:${id}`;
  }

  /** Sorted set: lease id scored by the epoch ms when it next needs the cleanup job. */
  expiry(): string {
    return `${this.base}expiry`;
  }

  /** Sorted set: lease id scored by the epoch ms when its owner should be warned. */
  warnings(): string {
    return `${this.base}warnings`;
  }

  owner(owner: string): string {
    return `${this.base}owner:${owner}`;
  }

  /** Set: the lease ids of a team (`domain/team.ts`), for its quota (scripts build it from `base` as `team:<team>`). */
  team(team: string): string {
    return `${this.base}team:${team}`;
  }

  /** Stream: the audit trail, one entry per change, trimmed by age (AUDIT_RETENTION_DAYS). */
  audit(): string {
    return `${this.base}audit`;
  }

  /** A tombstone: the lease ended moments ago (scripts build it from `base` as `ended:<id>`). */
  ended(id: string): string {
    return `${this.base}ended:${id}`;
  }

  container(containerId: string): string {
    return `${this.base}container:${containerId}`;
  }

  notifications(): string {
    return `${this.base}notifications`;
  }

  deadLetters(): string {
    return `${this.base}notifications:dead`;
  }

  delivered(noticeId: string): string {
    return `${this.base}delivered:${noticeId}`;
  }

  lock(name: string): string {
    return `${this.base}lock:${name}`;
  }

  /** Sorted set: the image type's idle warm pool members, scored by when each stops being claimable. */
  pool(imageType: string): string {
    return `${this.base}pool:${imageType}`;
  }

  /** Hash: claimed pool member → its lease, until the member is gone. */
  poolClaimed(): string {
    return `${this.base}pool-claimed`;
  }

  finalLogs(leaseId: string): string {
    return `${this.base}logs:${leaseId}`;
  }

  /** Sorted set: the holders of a lease's terminal or exec places, scored by when each place expires. */
  sessions(kind: string, leaseId: string): string {
    return `${this.base}sessions:${kind}:${leaseId}`;
  }

  /** A terminal ticket's grant, by the ticket's SHA-256; expires with the ticket. */
  ticket(digest: string): string {
    return `${this.base}ticket:${digest}`;
  }
}
