import type { Lease, NotifyTarget } from './lease.js';
import { teamOf } from './team.js';

/**
 * Labels on every leased container. Labels cannot change after creation, so the live expiry lives
 * in Redis; these are what lets the reaper work when Redis has lost its data.
 */
export const LABELS = {
  lease: 'io.containerlease.lease',
  owner: 'io.containerlease.owner',
  expiresAt: 'io.containerlease.expires-at',
  hardCap: 'io.containerlease.hard-cap',
  instance: 'io.containerlease.instance',
  imageType: 'io.containerlease.image-type',
  notify: 'io.containerlease.notify',
  createdAt: 'io.containerlease.created-at',
  /** On a warm pool member: its image type. Its `hard-cap` is its idle cap (POOL_MAX_IDLE_MINUTES). */
  pool: 'io.containerlease.pool',
  /** On a warm pool member: the image id it was made from, so a changed image is noticed. */
  poolImageId: 'io.containerlease.image-id',
} as const;

export interface LabelledLease {
  readonly leaseId: string;
  readonly owner: string;
  readonly imageType: string;
  readonly notify: NotifyTarget;
  readonly createdAt: number;
  /** The expiry at creation. */
  readonly expiresAt: number;
  readonly hardCapAt: number;
}

export function containerLabels(lease: LabelledLease, instanceId: string): Record<string, string> {
  return {
    [LABELS.lease]: lease.leaseId,
    [LABELS.owner]: lease.owner,
    [LABELS.expiresAt]: new Date(lease.expiresAt).toISOString(),
    [LABELS.hardCap]: new Date(lease.hardCapAt).toISOString(),
    [LABELS.instance]: instanceId,
    [LABELS.imageType]: lease.imageType,
    [LABELS.notify]: JSON.stringify(lease.notify),
    [LABELS.createdAt]: new Date(lease.createdAt).toISOString(),
  };
}

/** Label filters selecting this installation's containers, optionally of one lease. */
export function instanceFilter(instanceId: string, leaseId?: string): string[] {
  const filter = [`${LABELS.instance}=${instanceId}`];
  if (leaseId !== undefined) filter.push(`${LABELS.lease}=${leaseId}`);
  return filter;
}

/** The lease facts a container carries; null when the labels are missing or unreadable. */
export function leaseFromLabels(labels: Readonly<Record<string, string>>): LabelledLease | null {
  const leaseId = labels[LABELS.lease];
  const owner = labels[LABELS.owner];
  const expiresAt = Date.parse(labels[LABELS.expiresAt] ?? '');
  const hardCapAt = Date.parse(labels[LABELS.hardCap] ?? '');
  if (!leaseId || !owner || Number.isNaN(expiresAt) || Number.isNaN(hardCapAt)) return null;
  const createdAt = Date.parse(labels[LABELS.createdAt] ?? '');
  return {
    leaseId,
    owner,
    imageType: labels[LABELS.imageType] ?? '',
    notify: parseNotify(labels[LABELS.notify]) ?? { platform: owner.split(':')[0] ?? '', user: owner },
    createdAt: Number.isNaN(createdAt) ? 0 : createdAt,
    expiresAt,
    hardCapAt,
  };
}

/**
 * The lease a container's labels describe, as re-adoption writes it back: active until its labelled
 * expiry, never past its hard cap.
 */
export function labelledLeaseOf(
  labels: LabelledLease,
  container: { readonly id: string; readonly image: string },
): Lease {
  return {
    id: labels.leaseId,
    owner: labels.owner,
    notify: labels.notify,
    team: teamOf(labels.notify),
    imageType: labels.imageType,
    image: container.image,
    containerId: container.id,
    createdAt: labels.createdAt,
    expiresAt: Math.min(labels.expiresAt, labels.hardCapAt),
    hardCapAt: labels.hardCapAt,
    status: 'active',
    warnedAt: 0,
    warnedFor: 0,
  };
}

function parseNotify(text: string | undefined): NotifyTarget | undefined {
  try {
    const value = JSON.parse(text ?? '') as NotifyTarget;
    return typeof value?.platform === 'string' && typeof value.user === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
