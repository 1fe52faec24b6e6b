import { MINUTE_MS } from '../../src/core/domain/lease.js';
import type { NewLease } from '../../src/core/ports/lease-store.js';

/** Alice's busybox lease `id`, asked for at `now`: an hour to expiry, two to its hard cap. */
export function aliceLease(id: string, now: number): NewLease {
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
  };
}
