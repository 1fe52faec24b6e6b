import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { asCodedError } from '../../core/errors.js';
import type { Logger } from '../../core/ports/logger.js';
import type { LeaseService } from '../../core/services/lease-service.js';
import type { Authenticator, Principal } from '../auth/authenticator.js';
import { originAllowed } from '../auth/origin.js';
import { type Problem, problemOf } from '../http-errors.js';
import type { LogHub } from './log-hub.js';
import { CLOSE_CODES, RESUME_PARAMS } from './log-protocol.js';
import { parseCursor } from './resume-cursor.js';

export interface UpgradeDeps {
  readonly auth: Authenticator;
  readonly leases: LeaseService;
  readonly hub: LogHub;
  readonly wss: WebSocketServer;
  readonly allowedOrigin: string;
  readonly logger: Logger;
  readonly isClosing: () => boolean;
}

const LOGS_PATH = /^\/logs\/([^/]+)$/;

/**
 * `WS /logs/<id>`: the path, the Origin, the credentials and the caller's right to the lease are all
 * checked on the HTTP upgrade; a refusal is an HTTP status and the socket never becomes a WebSocket.
 * Lease states that the page must act on (ended, still starting) are accepted and closed with a code.
 */
export function logsUpgradeHandler(deps: UpgradeDeps) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', (error) => deps.logger.debug({ error: error.message }, 'upgrade socket error'));
    handle(deps, req, socket, head).catch((error: unknown) => {
      deps.logger.error({ error: asCodedError(error).message }, 'log socket upgrade failed');
      refuse(socket, { status: 500, code: 'internal', message: 'The log stream could not be opened.' });
    });
  };
}

async function handle(deps: UpgradeDeps, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  if (deps.isClosing()) {
    return refuse(socket, { status: 503, code: 'internal', message: 'The server is shutting down.' });
  }
  const url = new URL(req.url ?? '/', 'http://upgrade.invalid');
  const leaseId = LOGS_PATH.exec(url.pathname)?.[1];
  if (!leaseId) {
    return refuse(socket, {
      status: 404,
      code: 'not_found',
      message: 'Log streams are at /logs/<lease id>.',
    });
  }
  if (!originAllowed(req.headers.origin, deps.allowedOrigin)) {
    const message = `Origin ${String(req.headers.origin).slice(0, 100)} may not open log streams.`;
    return refuse(socket, { status: 403, code: 'forbidden', message });
  }
  const queryToken = url.searchParams.get('token') ?? undefined;
  const auth = deps.auth.authenticate({ headers: req.headers, leaseId, queryToken });
  if (!auth.ok) {
    const { status, message } = auth.error;
    return refuse(socket, { status, code: status === 401 ? 'unauthorized' : 'forbidden', message });
  }
  const cursor = parseCursor(
    url.searchParams.get(RESUME_PARAMS.since),
    url.searchParams.get(RESUME_PARAMS.skip),
  );

  const target = await resolveTarget(deps.leases, auth.value, leaseId);
  if (target.kind === 'refuse') return refuse(socket, target.problem);
  if (socket.destroyed) return;
  deps.wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
    // ws reports a bad frame (too large, malformed, sent after the close) as 'error', at any moment of
    // the socket's life, including right after we close it; an 'error' nobody hears ends the process.
    ws.on('error', (error) => deps.logger.debug({ leaseId, error: error.message }, 'log socket error'));
    deps.wss.emit('connection', ws, req);
    if (target.kind === 'close') ws.close(target.code, target.reason);
    else deps.hub.join(ws, { leaseId, containerId: target.containerId, cursor, actor: auth.value.actor });
  });
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
    const mayKnow = principal.linkLeaseId === leaseId || principal.actor.isAdmin;
    if (problem.code === 'not_found' && mayKnow) {
      return { kind: 'close', code: CLOSE_CODES.leaseEnded, reason: 'lease ended' };
    }
    return { kind: 'refuse', problem };
  }
}

function refuse(socket: Duplex, { status, code, message }: Problem): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: { code, message } });
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Connection: close\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
