import type { AuditEntry } from '../../src/core/domain/audit.js';
import type { NewLease } from '../../src/core/ports/lease-store.js';
import { aliceLease } from './new-lease.js';

/** Alice's busybox lease as a store is asked to write it (aliceLease), with `overrides`. */
export function leaseDraft(id: string, now: number, overrides: Partial<NewLease> = {}): NewLease {
  return { ...aliceLease(id, now), ...overrides };
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
