import { RedisKeys } from '../../src/core/adapters/redis/keys.js';
import { RedisAuditTrail } from '../../src/core/adapters/redis/redis-audit-trail.js';
import { DEFAULT_AUDIT_RETENTION_MS } from '../../src/core/domain/audit.js';
import type { AuditEntryJson } from '../../src/web/api-types.js';
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

/** A lease's audit trail as an admin (`token`) reads it over `GET /api/audit?lease=`. */
export async function auditOverApi(url: string, leaseId: string, token: string): Promise<AuditEntryJson[]> {
  const reply = await call(url, 'GET', `/api/audit?lease=${leaseId}`, { token });
  if (reply.status !== 200) throw new Error(`GET /api/audit answered ${reply.status}`);
  return (reply.body as { entries: AuditEntryJson[] }).entries;
}
