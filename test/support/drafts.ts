import type { AuditEntry } from '../../src/core/domain/audit.js';
import { MINUTE_MS } from '../../src/core/domain/lease.js';
import type { NewLease } from '../../src/core/ports/lease-store.js';

/** Alice's busybox lease as a store is asked to write it: made at `now`, due an hour on, capped at two, unless `overrides` say otherwise. */
export function leaseDraft(id: string, now: number, overrides: Partial<NewLease> = {}): NewLease {
  return {
    id,
    owner: 'local:alice',
    notify: { platform: 'local', user: 'alice' },
    team: 'local',
    imageType: 'busybox',
    image: 'local/busybox:latest',
    createdAt: now,
    expiresAt: now + 60 * MINUTE_MS,
    hardCapAt: now + 120 * MINUTE_MS,
    ...overrides,
  };
}

/** An audit entry as the trail returns it: alice's busybox lease `leaseId` made active at `at`, unless `fields` say otherwise. */
export function auditEntry(
  id: string,
  at: number,
  leaseId: string,
  fields: Partial<AuditEntry> = {},
): AuditEntry {
  return {
    id,
    at,
    actor: 'local:alice',
    platform: 'local',
    action: 'provision',
    leaseId,
    owner: 'local:alice',
    team: 'local',
    image: 'busybox',
    params: {},
    outcome: 'active',
    ...fields,
  };
}
