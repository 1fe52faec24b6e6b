import type { Lease, LeaseEnding, LeaseStatus, NotifyTarget } from '../../domain/lease.js';
import { teamOf } from '../../domain/team.js';
import type { NewLease } from '../../ports/lease-store.js';
import { pairsOf } from './reply-pairs.js';

/** The lease hash's fields, in the order scripts receive them as `field, value` pairs. */
export function leaseFields(lease: NewLease): string[] {
  return recordFields({ ...lease, containerId: '', status: 'provisioning', warnedAt: 0, warnedFor: 0 });
}

/** Every field of a full lease, for re-adoption. */
export function recordFields(lease: Lease): string[] {
  return [
    'id',
    lease.id,
    'owner',
    lease.owner,
    'notify',
    JSON.stringify(lease.notify),
    'team',
    lease.team,
    'imageType',
    lease.imageType,
    'image',
    lease.image,
    'containerId',
    lease.containerId,
    'createdAt',
    String(lease.createdAt),
    'expiresAt',
    String(lease.expiresAt),
    'hardCapAt',
    String(lease.hardCapAt),
    'status',
    lease.status,
    'warnedAt',
    String(lease.warnedAt),
    'warnedFor',
    String(lease.warnedFor),
    ...(lease.endedBy ? ['endedBy', lease.endedBy] : []),
    ...(lease.stoppedBy ? ['stoppedBy', lease.stoppedBy] : []),
    ...(lease.stopReason ? ['stopReason', lease.stopReason] : []),
  ];
}

/** Turns a Lua `HGETALL` reply (a flat list) into a record. */
export function pairsToRecord(flat: readonly string[]): Record<string, string> {
  return Object.fromEntries(pairsOf(flat));
}

/** A lease from its hash; null when the hash is empty (no such lease). */
export function leaseFromRecord(record: Record<string, string>): Lease | null {
  if (record.id === undefined) return null;
  const notify = parseNotify(record.notify);
  return {
    id: record.id,
    owner: record.owner ?? '',
    notify,
    // Leases written before teams were recorded count against the team they were asked from.
    team: record.team ?? teamOf(notify),
    imageType: record.imageType ?? '',
    image: record.image ?? '',
    containerId: record.containerId ?? '',
    createdAt: Number(record.createdAt ?? 0),
    expiresAt: Number(record.expiresAt ?? 0),
    hardCapAt: Number(record.hardCapAt ?? 0),
    status: (record.status ?? 'active') as LeaseStatus,
    warnedAt: Number(record.warnedAt ?? 0),
    warnedFor: Number(record.warnedFor ?? 0),
    ...(record.endedBy ? { endedBy: record.endedBy as LeaseEnding } : {}),
    ...(record.stoppedBy ? { stoppedBy: record.stoppedBy } : {}),
    ...(record.stopReason ? { stopReason: record.stopReason } : {}),
  };
}

function parseNotify(text: string | undefined): NotifyTarget {
  try {
    return JSON.parse(text ?? '') as NotifyTarget;
  } catch {
    return { platform: '', user: '' };
  }
}
