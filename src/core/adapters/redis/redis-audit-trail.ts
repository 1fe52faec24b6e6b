import type { AuditAction, AuditEntry, AuditParams, AuditRecord } from '../../domain/audit.js';
import type { AuditPage, AuditQuery, AuditTrail } from '../../ports/audit-trail.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './redis-connection.js';
import { storeCall } from './redis-connection.js';
import { pairsOf } from './reply-pairs.js';

/** Entries read per round trip while filtering. */
const BATCH = 500;
/**
 * Entries one query reads at most, matching or not, so a filter that matches little cannot make
 * one request walk the whole trail: the page then ends early with `next` to continue from.
 */
const MAX_SCANNED = 20_000;

type StreamEntry = [id: string, fields: string[]];

/**
 * The audit trail on the Redis stream `audit`. The store's scripts write it with each change;
 * this reads it by time range (the entry ids are Redis's time), filtering by lease and owner.
 */
export class RedisAuditTrail implements AuditTrail {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly retentionMs: number,
  ) {}

  query(query: AuditQuery): Promise<AuditPage> {
    return storeCall(this.redis, async () => {
      const end = query.until === undefined ? '+' : String(query.until);
      let start = query.after ? `(${query.after}` : query.since === undefined ? '-' : String(query.since);
      const entries: AuditEntry[] = [];
      let scanned = 0;
      while (scanned < MAX_SCANNED) {
        const batch = await this.redis.xrange(this.keys.audit(), start, end, 'COUNT', BATCH);
        for (const [id, fields] of batch) {
          scanned += 1;
          const entry = entryOf(id, fields);
          if (!matches(entry, query)) continue;
          entries.push(entry);
          if (entries.length === query.limit) return { entries, next: id };
        }
        // A short batch is the stream's end; a full one has a last entry to read on after.
        if (batch.length < BATCH) return { entries };
        start = `(${(batch.at(-1) as StreamEntry)[0]}`;
      }
      return { entries, next: start.slice(1) };
    });
  }

  record(entry: AuditRecord): Promise<void> {
    return storeCall(this.redis, async () => {
      await this.redis.appendAudit(
        this.keys.audit(),
        this.retentionMs,
        entry.actor,
        entry.action,
        entry.leaseId,
        entry.owner,
        entry.team,
        entry.image,
        JSON.stringify(entry.params),
        entry.outcome,
      );
    });
  }
}

function matches(entry: AuditEntry, query: AuditQuery): boolean {
  return (
    (query.leaseId === undefined || entry.leaseId === query.leaseId) &&
    (query.owner === undefined || entry.owner === query.owner)
  );
}

function entryOf(id: string, flat: readonly string[]): AuditEntry {
  const fields = new Map(pairsOf(flat));
  const field = (name: string) => fields.get(name) ?? '';
  return {
    id,
    at: Number(id.split('-')[0]),
    actor: field('actor'),
    platform: field('platform'),
    action: field('action') as AuditAction,
    leaseId: field('lease'),
    owner: field('owner'),
    team: field('team'),
    image: field('image'),
    params: parseParams(field('params')),
    outcome: field('outcome'),
  };
}

function parseParams(text: string): AuditParams {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as AuditParams) : {};
  } catch {
    return {};
  }
}
