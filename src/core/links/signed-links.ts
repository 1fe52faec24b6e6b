import type { Lease } from '../domain/lease.js';
import type { LinkIssuer } from '../ports/links.js';
import type { LinkTokens } from './link-tokens.js';

/** A log link outlives its lease by this much, so the final logs stay readable for a while. */
export const LOGS_LINK_GRACE_MS = 24 * 3_600_000;
/** How long a printed dashboard link works. */
export const SESSION_LINK_TTL_MS = 7 * 24 * 3_600_000;

/** Links under PUBLIC_URL carrying a signed token. */
export class SignedLinks implements LinkIssuer {
  constructor(
    private readonly tokens: LinkTokens,
    private readonly publicUrl: string,
    private readonly now: () => number,
  ) {}

  logsUrl(lease: Pick<Lease, 'id' | 'owner' | 'hardCapAt'>): string {
    const token = this.tokens.sign({
      leaseId: lease.id,
      owner: lease.owner,
      scope: 'logs',
      exp: lease.hardCapAt + LOGS_LINK_GRACE_MS,
    });
    return `${this.publicUrl}/logs/${encodeURIComponent(lease.id)}?token=${token}`;
  }

  dashboardUrl(owner: string): string {
    const token = this.tokens.sign({
      leaseId: '*',
      owner,
      scope: 'session',
      exp: this.now() + SESSION_LINK_TTL_MS,
    });
    return `${this.publicUrl}/?token=${token}`;
  }
}
