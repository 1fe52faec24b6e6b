import { SYSTEM_ACTOR } from '../domain/audit.js';
import type { Lease } from '../domain/lease.js';
import { noticeFor } from '../domain/notice.js';
import type { LeaseEnd } from '../ports/lease-store.js';

/**
 * How a lease whose cleaning has begun ends, from what the store recorded when it began (by its own
 * clock): the audit entry's action and actor, and the owner's notice. An owner's own stop needs no
 * notice; a stop by someone else tells the owner who and why, one for going over the disk limit
 * says so; an expiry tells them it expired.
 * Used by the stop itself and by the cleanup job finishing a stop that crashed, so both say the same.
 */
export function endOfCleaning(lease: Lease, now: number): LeaseEnd {
  if (lease.endedBy === 'owner') {
    const by = lease.stoppedBy ?? lease.owner;
    return by === lease.owner
      ? { action: 'stop', actor: by }
      : { action: 'stop', actor: by, notice: noticeFor('stopped', lease, now) };
  }
  if (lease.endedBy === 'disk')
    return { action: 'stop', actor: SYSTEM_ACTOR, notice: noticeFor('disk', lease, now) };
  if (lease.endedBy === 'expiry') {
    return lease.containerId
      ? { action: 'expire', actor: SYSTEM_ACTOR, notice: noticeFor('expired', lease, now) }
      : { action: 'expire', actor: SYSTEM_ACTOR };
  }
  return { action: 'provision-timeout', actor: SYSTEM_ACTOR };
}
