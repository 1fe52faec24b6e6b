import { type ContainerState, type LeaseView, MINUTE_MS } from '../../core/domain/lease.js';
import type { Confirm, LeaseCard, ReplyAction } from './reply.js';

/** The quick extension offered on every lease, besides the image's maximum. */
export const QUICK_EXTEND_MINUTES = 30;

const STATE_TEXT: Record<ContainerState, string> = {
  running: 'running',
  stopped: 'stopped (the container exited)',
  gone: 'gone (removed outside ContainerLease)',
  unknown: 'unknown',
  pending: 'starting',
};

/** Extensions that still fit under the hard cap: +30 and the image's maximum, or what room is left. */
export function extendOptions(
  lease: Pick<LeaseView, 'expiresAt' | 'hardCapAt'>,
  maxMinutes: number,
  now: number,
): number[] {
  const room = Math.floor((lease.hardCapAt - Math.max(lease.expiresAt, now)) / MINUTE_MS);
  const wanted = [...new Set([QUICK_EXTEND_MINUTES, maxMinutes])].filter((minutes) => minutes <= room);
  if (wanted.length === 0 && room >= 1) wanted.push(room);
  return wanted.sort((a, b) => a - b);
}

/** The question every platform asks before a Stop button removes a container. */
export function stopConfirm(leaseId: string): Confirm {
  return {
    title: `Stop lease ${leaseId}?`,
    text: 'The container and everything in it will be removed.',
    confirm: 'Stop it',
    deny: 'Keep it',
  };
}

export function leaseActions(
  lease: Pick<LeaseView, 'id' | 'expiresAt' | 'hardCapAt'>,
  links: { readonly logsUrl: string; readonly terminalUrl: string },
  maxMinutes: number,
  now: number,
): ReplyAction[] {
  const extend: ReplyAction[] = extendOptions(lease, maxMinutes, now).map((minutes) => ({
    kind: 'extend',
    leaseId: lease.id,
    minutes,
    label: `Extend +${minutes} min`,
  }));
  return [
    ...extend,
    { kind: 'stop', leaseId: lease.id, label: 'Stop', confirm: stopConfirm(lease.id) },
    { kind: 'link', url: links.terminalUrl, label: 'Terminal' },
    { kind: 'link', url: links.logsUrl, label: 'Logs' },
  ];
}

/** What an admin's list adds to each lease: whose it is, its team, and how long it has left. */
function adminFields(lease: LeaseView, now: number): LeaseCard['fields'] {
  const left = Math.max(Math.ceil((lease.expiresAt - now) / MINUTE_MS), 0);
  return [
    { label: 'Owner', value: [{ code: lease.owner }] },
    { label: 'Team', value: [{ code: lease.team }] },
    { label: 'Time left', value: [left > 0 ? `${left} min` : 'due for removal'] },
  ];
}

export function leaseCard(lease: LeaseView, maxMinutes: number, now: number, admin = false): LeaseCard {
  return {
    leaseId: lease.id,
    title: [{ strong: lease.imageType }, ' · ', { code: lease.id }],
    fields: [
      {
        label: 'Expires',
        value: [
          { time: lease.expiresAt, style: 'full' },
          ' (',
          { time: lease.expiresAt, style: 'relative' },
          ')',
        ],
      },
      { label: 'Container', value: [STATE_TEXT[lease.containerState]] },
      { label: 'Image', value: [{ code: lease.image }] },
      ...(admin ? adminFields(lease, now) : []),
    ],
    actions:
      lease.status === 'active'
        ? leaseActions(lease, lease, maxMinutes, now)
        : [{ kind: 'link', url: lease.logsUrl, label: 'Logs' }],
  };
}
