import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { asCodedError } from '../../core/errors.js';
import type { Logger } from '../../core/ports/logger.js';
import { originAllowed } from '../auth/origin.js';
import { refuseUpgrade } from './refuse-upgrade.js';

/** An upgrade that found its route: the lease it names, and its URL. */
export interface SocketRequest {
  readonly req: IncomingMessage;
  readonly socket: Duplex;
  readonly head: Buffer;
  readonly leaseId: string;
  readonly url: URL;
}

/** One kind of WebSocket: `/<name>/<lease id>`. */
export interface SocketRoute {
  /** The first path segment: `logs`, `terminal`. */
  readonly name: string;
  /** What it opens, for refusals: "log streams", "terminals". */
  readonly what: string;
  /** Checks the caller and the lease, then accepts or refuses; may throw (a 500 refusal). */
  handle(request: SocketRequest): Promise<void>;
}

export interface UpgradeRouterDeps {
  readonly routes: readonly SocketRoute[];
  readonly allowedOrigin: string;
  readonly logger: Logger;
  readonly isClosing: () => boolean;
}

/**
 * The server's one 'upgrade' listener. Every socket gets an 'error' listener the moment it arrives;
 * then the server's state, the path and the Origin are checked before the route checks the
 * caller's credentials, their right to the lease and its state. A refusal is an HTTP status: the
 * socket never becomes a WebSocket.
 */
export function upgradeRouter(deps: UpgradeRouterDeps) {
  const paths = deps.routes.map((route) => `/${route.name}/<lease id>`).join(' and ');
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', (error) => deps.logger.debug({ error: error.message }, 'upgrade socket error'));
    route(deps, paths, req, socket, head).catch((error: unknown) => {
      deps.logger.error(
        { error: asCodedError(error).message, path: req.url?.slice(0, 100) },
        'socket upgrade failed',
      );
      refuseUpgrade(socket, { status: 500, code: 'internal', message: 'The socket could not be opened.' });
    });
  };
}

async function route(
  deps: UpgradeRouterDeps,
  paths: string,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  if (deps.isClosing()) {
    return refuseUpgrade(socket, { status: 503, code: 'internal', message: 'The server is shutting down.' });
  }
  const url = new URL(req.url ?? '/', 'http://upgrade.invalid');
  const [, name, leaseId, ...rest] = url.pathname.split('/');
  const found = deps.routes.find((candidate) => candidate.name === name);
  if (!found || !leaseId || rest.length > 0) {
    return refuseUpgrade(socket, { status: 404, code: 'not_found', message: `Sockets are at ${paths}.` });
  }
  if (!originAllowed(req.headers.origin, deps.allowedOrigin)) {
    const message = `Origin ${String(req.headers.origin).slice(0, 100)} may not open ${found.what}.`;
    return refuseUpgrade(socket, { status: 403, code: 'forbidden', message });
  }
  await found.handle({ req, socket, head, leaseId, url });
}
