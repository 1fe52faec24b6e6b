import type { LeasePolicy } from '../config/config.js';
import type { ImageCatalog, ImageType } from '../config/image-catalog.js';
import { isLeaseId } from '../domain/lease-id.js';
import { isPortNumber, MAX_PORT, MIN_PORT } from '../domain/port-number.js';
import { ValidationError } from '../errors.js';

/** The longest lease or extension allowed for an image type. */
export function maxMinutesFor(image: ImageType, policy: LeasePolicy): number {
  return Math.min(image.maxMinutes ?? policy.maxMinutes, policy.maxMinutes);
}

export function requireImage(catalog: ImageCatalog, imageType: string): ImageType {
  const image = catalog.get(imageType);
  if (image) return image;
  const shown = imageType.length > 40 ? `${imageType.slice(0, 40)}…` : imageType;
  throw new ValidationError(`Unknown image "${shown}". Choose one of: ${catalog.names().join(', ')}.`, {
    details: { field: 'imageType' },
  });
}

/** Minutes as asked, or the default; whole, at least 1, at most the image's maximum. */
export function requireMinutes(minutes: number | undefined, max: number, fallback: number): number {
  const value = minutes ?? Math.min(fallback, max);
  if (!Number.isInteger(value)) {
    throw new ValidationError(`Minutes must be a whole number (got ${value}).`, {
      details: { field: 'minutes' },
    });
  }
  if (value < 1)
    throw new ValidationError(`Minutes must be at least 1 (got ${value}).`, {
      details: { field: 'minutes' },
    });
  if (value > max) {
    throw new ValidationError(`At most ${max} minutes are allowed here (got ${value}).`, {
      details: { field: 'minutes', max },
    });
  }
  return value;
}

export function requireLeaseId(id: string): string {
  const trimmed = id.trim().toLowerCase();
  if (isLeaseId(trimmed)) return trimmed;
  const shown = id.length > 20 ? `${id.slice(0, 20)}…` : id;
  throw new ValidationError(`"${shown}" is not a lease id; ids look like 7k2m9x4qpz (see /lease list).`, {
    details: { field: 'id' },
  });
}

/** A port a lease's app can listen on: whole, from 1 to 65535. */
export function requirePort(port: number): number {
  if (isPortNumber(port)) return port;
  throw new ValidationError(
    `A port is a whole number from ${MIN_PORT} to ${MAX_PORT} (got ${String(port).slice(0, 20)}).`,
    { details: { field: 'port' } },
  );
}
