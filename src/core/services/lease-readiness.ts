import type { LeaseView } from '../domain/lease.js';
import { ConflictError } from '../errors.js';

/** Why a lease cannot be entered now: it is ending, still starting, or its container is not running. */
export type NotReady = 'ending' | 'starting' | 'stopped';

export type Readiness =
  | { readonly ready: true }
  | { readonly ready: false; readonly state: NotReady; readonly message: string };

/** Whether a terminal or a command can run in the lease's container now. */
export function readiness(lease: LeaseView): Readiness {
  if (lease.status === 'cleaning') {
    return {
      ready: false,
      state: 'ending',
      message: `Lease ${lease.id} has ended; its container is being removed.`,
    };
  }
  if (lease.status === 'provisioning' || lease.containerState === 'pending') {
    return {
      ready: false,
      state: 'starting',
      message: `Lease ${lease.id} is still starting; try again in a moment.`,
    };
  }
  if (lease.containerState !== 'running') {
    return {
      ready: false,
      state: 'stopped',
      message: `The container of lease ${lease.id} is not running (${lease.containerState}); stop the lease and start another.`,
    };
  }
  return { ready: true };
}

/** @throws conflict naming why the lease cannot be entered now */
export function requireReady(lease: LeaseView): void {
  const state = readiness(lease);
  if (!state.ready) throw new ConflictError(state.message, { details: { leaseState: state.state } });
}
