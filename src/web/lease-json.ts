import type { LeaseView } from '../core/domain/lease.js';
import type { PortLink } from '../core/ports/links.js';
import type { ImageOffer } from '../core/services/lease-service.js';
import type { ImageJson, LeaseJson, PortLinkJson } from './api-types.js';

export function leaseJson(lease: LeaseView): LeaseJson {
  return {
    id: lease.id,
    owner: lease.owner,
    team: lease.team,
    imageType: lease.imageType,
    image: lease.image,
    containerId: lease.containerId,
    status: lease.status,
    containerState: lease.containerState,
    createdAt: iso(lease.createdAt),
    expiryTime: iso(lease.expiresAt),
    maxExpiryTime: iso(lease.hardCapAt),
    logsUrl: lease.logsUrl,
    terminalUrl: lease.terminalUrl,
  };
}

export function portLinkJson(link: PortLink): PortLinkJson {
  return { url: link.url, expiresAt: iso(link.expiresAt) };
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
