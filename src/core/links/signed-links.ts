import type { Lease } from '../domain/lease.js';
import type { LinkIssuer } from '../ports/links.js';
import type { LinkTokens } from './link-tokens.js';

/** A log link outlives its lease by this much, so the final logs stay readable for a while. */
export const LOGS_LINK_GRACE_MS = 24 * 3_600_000;
/** How long a printed dashboard link works. */
export const SESSION_LINK_TTL_MS = 7 * 24 * 3_600_000;

/**
 * Links under PUBLIC_URL carrying a signed token. The base may be a function, for a server that
 * learns its address only once it listens (port 0 without PUBLIC_URL).
 */
export class SignedLinks implements LinkIssuer {
  constructor(
    private readonly tokens: LinkTokens,
    private readonly base: string | (() => string),
    private readonly now: () => number,
  ) {}

  private get publicUrl(): string {
    return typeof this.base === 'string' ? this.base : this.base();
  }

  logsUrl(lease: Pick<Lease, 'id' | 'owner' | 'hardCapAt'>): string {
    const token = this.tokens.sign({
      leaseId: lease.id,
      owner: lease.owner,
      scope: 'logs',
      exp: lease.hardCapAt + LOGS_LINK_GRACE_MS,
    });
    return `${this.publicUrl}/logs/${encodeURIComponent(lease.id)}?token=${token}`;
  }

  /** The terminal page of a lease; good until its hard cap, after which there is no container to open. */
  terminalUrl(lease: Pick<Lease, 'id' | 'owner' | 'hardCapAt'>): string {
    const token = this.tokens.sign({
      leaseId: lease.id,
      owner: lease.owner,
      scope: 'terminal',
      exp: lease.hardCapAt,
    });
    return `${this.publicUrl}/terminal/${encodeURIComponent(lease.id)}?token=${token}`;
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
