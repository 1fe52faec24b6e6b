import type { Lease } from '../domain/lease.js';

/** A signed link to one port of a lease, and when it stops working (epoch milliseconds). */
export interface PortLink {
  readonly url: string;
  readonly expiresAt: number;
}

/** Makes the signed links that chat replies and API responses carry. */
export interface LinkIssuer {
  /** The live log page of a lease, valid for its owner while the lease can exist. */
  logsUrl(lease: Pick<Lease, 'id' | 'owner' | 'hardCapAt'>): string;
  /** The terminal page of a lease, valid for its owner while the lease can exist. */
  terminalUrl(lease: Pick<Lease, 'id' | 'owner' | 'hardCapAt'>): string;
  /** The dashboard, signing its owner in (a session link): for replies only the owner sees. */
  dashboardUrl(owner: string): string;
  /** One port of a lease on the port proxy, for its owner only (never in a notice others read). */
  portLink(lease: Pick<Lease, 'id' | 'owner' | 'hardCapAt'>, port: number): PortLink;
}
