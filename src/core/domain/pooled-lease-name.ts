import { LABELS, type LabelledLease, leaseFromLabels } from './container-labels.js';
import type { NotifyTarget } from './lease.js';
import { isLeaseId } from './lease-id.js';

/**
 * A warm pool member is made before anyone asks for it, so its labels name no lease, and labels
 * cannot change. Docker can rename a container, though: when a member is claimed it takes a name
 * that carries its lease (id, owner, where to tell them, claim time, expiry at the claim and hard
 * cap), so the cleanup job ends it from Docker alone, at its expiry and never before, as it ends a
 * lease from its labels when Redis has lost its data.
 *
 * `lease-<id>.<the facts as base64url JSON>`: Docker names allow `[a-zA-Z0-9_.-]`, which base64url keeps to.
 */
const CLAIMED_NAME = /^\/?lease-([0-9a-z]+)\.([A-Za-z0-9_-]+)$/;

interface NamedFacts {
  readonly o: string;
  readonly n: NotifyTarget;
  readonly c: number;
  readonly e: number;
  readonly h: number;
}

/** The name a claimed pool member takes. */
export function claimedName(lease: LabelledLease): string {
  const facts: NamedFacts = {
    o: lease.owner,
    n: lease.notify,
    c: lease.createdAt,
    e: lease.expiresAt,
    h: lease.hardCapAt,
  };
  return `lease-${lease.leaseId}.${Buffer.from(JSON.stringify(facts)).toString('base64url')}`;
}

/** The lease a claimed pool member's name carries; null for any other name. */
export function leaseFromName(name: string, imageType: string): LabelledLease | null {
  const match = CLAIMED_NAME.exec(name);
  if (!match?.[1] || !match[2] || !isLeaseId(match[1])) return null;
  let facts: Partial<NamedFacts>;
  try {
    facts = JSON.parse(Buffer.from(match[2], 'base64url').toString('utf8')) as Partial<NamedFacts>;
  } catch {
    return null;
  }
  const { o, n, c, e, h } = facts;
  if (typeof o !== 'string' || typeof n?.platform !== 'string' || typeof n.user !== 'string') return null;
  if (![c, e, h].every(Number.isFinite)) return null;
  return {
    leaseId: match[1],
    owner: o,
    imageType,
    notify: n,
    createdAt: c as number,
    expiresAt: e as number,
    hardCapAt: h as number,
  };
}

interface NamedContainer {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The lease a container belongs to, from its labels or, for a claimed pool member, its name. */
export function leaseOfContainer(container: NamedContainer): LabelledLease | null {
  const poolType = container.labels[LABELS.pool];
  if (poolType === undefined) return leaseFromLabels(container.labels);
  return leaseFromName(container.name, poolType);
}

/** A pool member nobody has claimed: it carries the pool label and no lease in its name. */
export function isIdlePoolMember(container: NamedContainer): boolean {
  return container.labels[LABELS.pool] !== undefined && leaseOfContainer(container) === null;
}

/** Labels of a warm pool member: no lease, its idle cap as its hard cap. */
export function poolLabels(
  member: {
    readonly imageType: string;
    readonly imageId: string;
    readonly createdAt: number;
    readonly idleCapAt: number;
  },
  instanceId: string,
): Record<string, string> {
  return {
    [LABELS.pool]: member.imageType,
    [LABELS.poolImageId]: member.imageId,
    [LABELS.imageType]: member.imageType,
    [LABELS.instance]: instanceId,
    [LABELS.createdAt]: new Date(member.createdAt).toISOString(),
    [LABELS.hardCap]: new Date(member.idleCapAt).toISOString(),
  };
}
