import type { WebSocketServer } from 'ws';
import type { Logger } from '../../core/ports/logger.js';
import type { Actor } from '../../core/services/access-policy.js';
import type { Admission, Refusal, TerminalService } from '../../core/services/terminal-service.js';
import type { Authenticator } from '../auth/authenticator.js';
import { type Problem, problemOf } from '../http-errors.js';
import { mayKnowItEnded } from '../logs/upgrade-handler.js';
import { acceptSocket } from '../sockets/accept-socket.js';
import { refuseUpgrade } from '../sockets/refuse-upgrade.js';
import type { SocketRequest, SocketRoute } from '../sockets/upgrade-router.js';
import type { TerminalHub } from './terminal-hub.js';
import { TERMINAL_CLOSE_CODES, TICKET_PARAM } from './terminal-protocol.js';

export interface TerminalSocketDeps {
  readonly auth: Authenticator;
  readonly terminals: TerminalService;
  readonly hub: TerminalHub;
  readonly wss: WebSocketServer;
  readonly logger: Logger;
}

/** The close code each refusal of an admitted caller gets. */
const REFUSAL_CODES: Readonly<Record<Refusal, number>> = {
  ending: TERMINAL_CLOSE_CODES.leaseEnded,
  starting: TERMINAL_CLOSE_CODES.leaseStarting,
  stopped: TERMINAL_CLOSE_CODES.containerStopped,
  full: TERMINAL_CLOSE_CODES.tooMany,
};

/** Who opens the socket, and whether they may hear that the lease is gone (rather than not found). */
type Caller = { readonly actor: Actor; readonly mayKnowItEnded: boolean };

/**
 * `WS /terminal/<id>`: the credentials (a single-use `?ticket=`, or the page's cookies: the
 * terminal link's or the session; a bearer token for scripts), the caller's right to the lease,
 * its state and the number of terminals it has open are all checked before the upgrade. Callers
 * who may use the lease but not now (ended, starting, stopped, too many terminals) are accepted
 * and told why, so the page can say it; everyone else gets an HTTP refusal.
 */
export function terminalSocketRoute(deps: TerminalSocketDeps): SocketRoute {
  return { name: 'terminal', what: 'terminals', handle: (request) => handle(deps, request) };
}

async function handle(deps: TerminalSocketDeps, request: SocketRequest): Promise<void> {
  const { socket, leaseId } = request;
  const caller = await identify(deps, request);
  if ('status' in caller) return refuseUpgrade(socket, caller);
  let admission: Admission;
  try {
    admission = await deps.terminals.admit(caller.actor, leaseId);
  } catch (error) {
    const problem = problemOf(error);
    if (problem.code !== 'not_found' || !caller.mayKnowItEnded) return refuseUpgrade(socket, problem);
    admission = { admitted: false, reason: 'ending', message: `Lease ${leaseId} has ended.` };
  }
  if (socket.destroyed) {
    if (admission.admitted) await admission.pass.cancel();
    return;
  }
  const ws = await acceptSocket(deps.wss, request, deps.logger, { leaseId, socket: 'terminal' });
  if (admission.admitted) {
    deps.hub.open(ws, admission.pass);
    return;
  }
  ws.send(JSON.stringify({ type: 'ended', reason: admission.message }), { binary: false });
  ws.close(REFUSAL_CODES[admission.reason], Buffer.from(admission.message).subarray(0, 120).toString());
}

async function identify(
  deps: TerminalSocketDeps,
  { req, url, leaseId }: SocketRequest,
): Promise<Caller | Problem> {
  if (url.searchParams.has('token')) {
    return {
      status: 400,
      code: 'validation',
      message: `A link token does not go in a socket URL: open the terminal page, or trade an API token for a ticket (POST /api/containers/${leaseId}/terminal).`,
    };
  }
  const ticket = url.searchParams.get(TICKET_PARAM);
  if (ticket !== null) {
    try {
      return { actor: await deps.terminals.redeem(ticket, leaseId), mayKnowItEnded: true };
    } catch (error) {
      return problemOf(error);
    }
  }
  const auth = deps.auth.authenticate({ headers: req.headers, leaseId, linkScope: 'terminal' });
  if (!auth.ok) {
    const { status, message } = auth.error;
    return { status, code: status === 401 ? 'unauthorized' : 'forbidden', message };
  }
  return { actor: auth.value.actor, mayKnowItEnded: mayKnowItEnded(auth.value, leaseId) };
}
