import type { Lease } from '../domain/lease.js';
import { isValidOwner } from '../domain/owner.js';
import { ForbiddenError, ValidationError } from '../errors.js';

/** Who is asking: an owner identity, and whether ADMINS lists it. */
export interface Actor {
  readonly owner: string;
  readonly isAdmin: boolean;
}

/** Only a lease's owner, or an admin, may stop, extend, view the logs of, or open a lease. */
export class AccessPolicy {
  private readonly admins: ReadonlySet<string>;

  constructor(admins: readonly string[]) {
    this.admins = new Set(admins);
  }

  actor(owner: string): Actor {
    if (!isValidOwner(owner)) throw new ValidationError(`"${owner.slice(0, 80)}" is not an owner identity.`);
    return { owner, isAdmin: this.admins.has(owner) };
  }

  canManage(actor: Actor, lease: Pick<Lease, 'owner'>): boolean {
    return actor.isAdmin || actor.owner === lease.owner;
  }

  assertCanManage(actor: Actor, lease: Pick<Lease, 'owner' | 'id'>): void {
    if (!this.canManage(actor, lease)) throw new ForbiddenError(`Lease ${lease.id} belongs to someone else.`);
  }
}
