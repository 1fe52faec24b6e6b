import type { LeaseView } from '../core/domain/lease.js';
import type { ImageOffer } from '../core/services/lease-service.js';

/** A lease as the API renders it; times are ISO 8601 in UTC. */
export interface LeaseJson {
  readonly id: string;
  readonly owner: string;
  readonly imageType: string;
  readonly image: string;
  readonly containerId: string;
  readonly status: LeaseView['status'];
  readonly containerState: LeaseView['containerState'];
  readonly createdAt: string;
  readonly expiryTime: string;
  /** No extension moves `expiryTime` past this. */
  readonly maxExpiryTime: string;
  readonly logsUrl: string;
}

export function leaseJson(lease: LeaseView): LeaseJson {
  return {
    id: lease.id,
    owner: lease.owner,
    imageType: lease.imageType,
    image: lease.image,
    containerId: lease.containerId,
    status: lease.status,
    containerState: lease.containerState,
    createdAt: iso(lease.createdAt),
    expiryTime: iso(lease.expiresAt),
    maxExpiryTime: iso(lease.hardCapAt),
    logsUrl: lease.logsUrl,
  };
}

export interface ImageJson {
  readonly name: string;
  readonly image: string;
  readonly description: string;
  readonly maxMinutes: number;
}

export function imageJson(offer: ImageOffer): ImageJson {
  return {
    name: offer.name,
    image: offer.image,
    description: offer.description,
    maxMinutes: offer.maxLeaseMinutes,
  };
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
