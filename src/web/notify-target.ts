import type { NotifyTarget } from '../core/domain/lease.js';

/**
 * Where to tell an owner who provisioned from the web: the platform their identity comes from.
 * `slack:<team>:<user>` → Slack user in that team; `discord:<user>`, `local:<user>`, `api:<name>` alike.
 */
export function notifyTargetFor(owner: string): NotifyTarget {
  const [platform = '', first = '', second] = owner.split(':');
  if (second !== undefined) return { platform, team: first, user: second };
  return { platform, user: first };
}
