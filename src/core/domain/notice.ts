import type { Lease, NotifyTarget } from './lease.js';

/**
 * `warning`: the lease ends soon (the owner can extend). `expired`: the job removed it at its expiry.
 * `vanished`: its container disappeared behind our back, so the lease was closed. `disk`: the job
 * stopped it because its container wrote more than the disk limit. `stopped`: someone else (an
 * admin) stopped it.
 */
export type NoticeKind = 'warning' | 'expired' | 'vanished' | 'disk' | 'stopped';

/** A message to a lease's owner, queued in the outbox and delivered by the owner's platform. */
export interface Notice {
  /** Stable for the event it describes, so a redelivery can be recognised and shown once. */
  readonly id: string;
  readonly kind: NoticeKind;
  readonly leaseId: string;
  readonly owner: string;
  readonly notify: NotifyTarget;
  readonly imageType: string;
  readonly image: string;
  readonly containerId: string;
  /** The expiry the notice is about (epoch ms). */
  readonly expiresAt: number;
  /** The lease's hard cap: how far an extension could still go, and how long its log link lives. */
  readonly hardCapAt: number;
  /** When the notice was produced (epoch ms). */
  readonly at: number;
  /** For `stopped`: who stopped it, and why if they said. */
  readonly stoppedBy?: string;
  readonly reason?: string;
}

export function noticeId(kind: NoticeKind, leaseId: string, expiresAt: number): string {
  return kind === 'warning' ? `warning:${leaseId}:${expiresAt}` : `${kind}:${leaseId}`;
}

/** The lease facts a notice repeats, whether they come from a lease record or from container labels. */
export type NoticeSubject = Pick<
  Lease,
  'id' | 'owner' | 'notify' | 'imageType' | 'image' | 'containerId' | 'expiresAt' | 'hardCapAt'
> &
  Partial<Pick<Lease, 'stoppedBy' | 'stopReason'>>;

export function noticeFor(kind: NoticeKind, lease: NoticeSubject, at: number): Notice {
  return {
    id: noticeId(kind, lease.id, lease.expiresAt),
    kind,
    leaseId: lease.id,
    owner: lease.owner,
    notify: lease.notify,
    imageType: lease.imageType,
    image: lease.image,
    containerId: lease.containerId,
    expiresAt: lease.expiresAt,
    hardCapAt: lease.hardCapAt,
    at,
    ...(kind === 'stopped' && lease.stoppedBy ? { stoppedBy: lease.stoppedBy } : {}),
    ...(kind === 'stopped' && lease.stopReason ? { reason: lease.stopReason } : {}),
  };
}
