import { RedisKeys } from '../../src/core/adapters/redis/keys.js';
import { RedisAuditTrail } from '../../src/core/adapters/redis/redis-audit-trail.js';
import { DEFAULT_AUDIT_RETENTION_MS } from '../../src/core/domain/audit.js';
import { testRedis } from './services.js';
import { call } from './web-client.js';

/**
 * A lease's audit trail as one line per entry, `action actor outcome`, read from the stream a run
 * of the product wrote under `prefix`: what the end-to-end tests check against what they did.
 */
export async function auditLines(prefix: string, leaseId: string): Promise<string[]> {
  const redis = testRedis();
  try {
    const trail = new RedisAuditTrail(redis, new RedisKeys(prefix), DEFAULT_AUDIT_RETENTION_MS);
    const { entries } = await trail.query({ leaseId, limit: 100 });
    return entries.map((entry) => `${entry.action} ${entry.actor} ${entry.team} ${entry.outcome}`);
  } finally {
    redis.disconnect();
  }
}

/** An audit entry as `GET /api/audit` returns it. */
export interface ApiAuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly leaseId: string;
  readonly owner: string;
  readonly team: string;
  readonly image: string;
  readonly params: Record<string, unknown>;
  readonly outcome: string;
}

/** A lease's audit trail as an admin (`token`) reads it over `GET /api/audit?lease=`. */
export async function auditOverApi(url: string, leaseId: string, token: string): Promise<ApiAuditEntry[]> {
  const reply = await call(url, 'GET', `/api/audit?lease=${leaseId}`, { token });
  if (reply.status !== 200) throw new Error(`GET /api/audit answered ${reply.status}`);
  return (reply.body as { entries: ApiAuditEntry[] }).entries;
}
