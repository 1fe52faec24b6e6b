import type { WebSocketServer } from 'ws';
import type { Logger } from '../../core/ports/logger.js';
import type { LeaseService } from '../../core/services/lease-service.js';
import type { Authenticator, Principal } from '../auth/authenticator.js';
import { type Problem, problemOf } from '../http-errors.js';
import { acceptSocket } from '../sockets/accept-socket.js';
import { refuseUpgrade } from '../sockets/refuse-upgrade.js';
import type { SocketRequest, SocketRoute } from '../sockets/upgrade-router.js';
import type { LogHub } from './log-hub.js';
import { CLOSE_CODES, RESUME_PARAMS } from './log-protocol.js';
import { parseCursor } from './resume-cursor.js';

export interface LogsSocketDeps {
  readonly auth: Authenticator;
  readonly leases: LeaseService;
  readonly hub: LogHub;
  readonly wss: WebSocketServer;
  readonly logger: Logger;
}

/**
 * `WS /logs/<id>`: the credentials (a logs link, the session, a bearer token) and the caller's right
 * to the lease are checked before the upgrade. Lease states that the page must act on (ended,
 * still starting) are accepted and closed with a code.
 */
export function logsSocketRoute(deps: LogsSocketDeps): SocketRoute {
  return { name: 'logs', what: 'log streams', handle: (request) => handle(deps, request) };
}

async function handle(deps: LogsSocketDeps, request: SocketRequest): Promise<void> {
  const { req, socket, leaseId, url } = request;
  const queryToken = url.searchParams.get('token') ?? undefined;
  const auth = deps.auth.authenticate({ headers: req.headers, leaseId, queryToken });
  if (!auth.ok) {
    const { status, message } = auth.error;
    return refuseUpgrade(socket, { status, code: status === 401 ? 'unauthorized' : 'forbidden', message });
  }
  const cursor = parseCursor(
    url.searchParams.get(RESUME_PARAMS.since),
    url.searchParams.get(RESUME_PARAMS.skip),
  );

  const target = await resolveTarget(deps.leases, auth.value, leaseId);
  if (target.kind === 'refuse') return refuseUpgrade(socket, target.problem);
  if (socket.destroyed) return;
  const ws = await acceptSocket(deps.wss, request, deps.logger, { leaseId });
  if (target.kind === 'close') ws.close(target.code, target.reason);
  else deps.hub.join(ws, { leaseId, containerId: target.containerId, cursor, actor: auth.value.actor });
}

type Target =
  | { kind: 'watch'; containerId: string }
  | { kind: 'close'; code: number; reason: string }
  | { kind: 'refuse'; problem: Problem };

async function resolveTarget(leases: LeaseService, principal: Principal, leaseId: string): Promise<Target> {
  try {
    const lease = await leases.get(principal.actor, leaseId);
    if (lease.status === 'cleaning')
      return { kind: 'close', code: CLOSE_CODES.leaseEnded, reason: 'lease ended' };
    if (!lease.containerId) {
      return { kind: 'close', code: CLOSE_CODES.leaseStarting, reason: 'lease is still starting' };
    }
    return { kind: 'watch', containerId: lease.containerId };
  } catch (error) {
    const problem = problemOf(error);
    if (problem.code === 'not_found' && mayKnowItEnded(principal, leaseId)) {
      return { kind: 'close', code: CLOSE_CODES.leaseEnded, reason: 'lease ended' };
    }
    return { kind: 'refuse', problem };
  }
}

/** A lease that is gone may be said to have ended to whoever holds its link, or an admin; to others it is not found. */
export function mayKnowItEnded(principal: Principal, leaseId: string): boolean {
  return principal.linkLeaseId === leaseId || principal.actor.isAdmin;
}
