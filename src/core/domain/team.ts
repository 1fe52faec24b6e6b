import type { NotifyTarget } from './lease.js';

/**
 * The team a lease counts against, for team quotas and usage: `slack:<workspace>`,
 * `discord:<server>`, or the bare platform where there is none (`api`, `local`, a Discord DM).
 * It comes from where the lease was asked for, which every chat command carries.
 */
export function teamOf(notify: Pick<NotifyTarget, 'platform' | 'team'>): string {
  return notify.team ? `${notify.platform}:${notify.team}` : notify.platform;
}

/** What `TEAM_QUOTAS` may name: `slack:<workspace>`, `discord:<server>`, or a bare platform. */
export const TEAM_PATTERN = /^((slack|discord):[A-Za-z0-9._-]{1,64}|slack|discord|api|local)$/;
