import type { Lease } from '../domain/lease.js';

/** Makes the signed links that chat replies and API responses carry. */
export interface LinkIssuer {
  /** The live log page of a lease, valid for its owner while the lease can exist. */
  logsUrl(lease: Pick<Lease, 'id' | 'owner' | 'hardCapAt'>): string;
}
