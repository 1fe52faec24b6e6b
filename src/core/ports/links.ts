import type { Lease } from '../domain/lease.js';

/** Makes the signed links that chat replies and API responses carry. */
export interface LinkIssuer {
  /** The live log page of a lease, valid for its owner while the lease can exist. */
  logsUrl(lease: Pick<Lease, 'id' | 'owner' | 'hardCapAt'>): string;
  /** The terminal page of a lease, valid for its owner while the lease can exist. */
  terminalUrl(lease: Pick<Lease, 'id' | 'owner' | 'hardCapAt'>): string;
  /** The dashboard, signing its owner in (a session link): for replies only the owner sees. */
  dashboardUrl(owner: string): string;
}
