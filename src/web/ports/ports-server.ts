import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createProxyMiddleware } from 'http-proxy-middleware';
import type { PortsAddress } from '../../core/links/port-urls.js';
import type { Logger } from '../../core/ports/logger.js';
import type { PortTargets } from '../../core/services/port-targets.js';
import type { Authenticator } from '../auth/authenticator.js';
import { originAllowed } from '../auth/origin.js';
import { listen } from '../listen.js';
import { refuseConnectionsTo } from '../refuse-connections.js';
import { prepareUpstreamRequest, rewriteResponseHeaders } from './forwarding.js';
import { portCookie } from './port-cookie.js';
import { type Admitted, type PortGateDeps, passGate } from './port-gate.js';
import { refuseUpgrade, sendPortPage } from './port-pages.js';

/** A request body larger than this is refused (413) or, when it did not say its size, cut. */
export const PORT_BODY_LIMIT_BYTES = 32 * 1024 ** 2;
/** An app that sends nothing for this long (no headers, no body bytes) is given up on (504). */
export const PORT_UPSTREAM_IDLE_MS = 120_000;
/** A client must send its request headers within this, and its whole request within the next. */
const HEADERS_TIMEOUT_MS = 20_000;
const REQUEST_TIMEOUT_MS = 300_000;

export interface PortsServerOptions {
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly host?: string;
  /** Local addresses whose connections are closed unanswered: the host's addresses on the lease network. */
  readonly refuseConnectionsTo?: readonly string[];
  /** PORTS_URL, and PORTS_DOMAIN. @defaultValue `http://127.0.0.1:<bound port>`, no domain */
  readonly url?: string;
  readonly domain?: string;
  /** Verifies port links and cookies (the web server's, with the same API_TOKENS). */
  readonly auth: Authenticator;
  readonly targets: PortTargets;
  readonly logger: Logger;
  readonly now?: () => number;
  /** close() waits this long for connections to finish before cutting them. @defaultValue 5000 */
  readonly shutdownGraceMs?: number;
}

export interface PortsServer {
  /** Where the proxy is reached (PORTS_URL, or its bound address). */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  readonly address: () => PortsAddress;
  close(): Promise<void>;
}

const UPSTREAM = Symbol('containerlease.upstream');
type Tagged = IncomingMessage & { [UPSTREAM]?: Admitted };

/**
 * The port proxy: on an origin of its own, it passes HTTP requests and WebSocket upgrades to one
 * port of a lease's container, each checked by the gate first (http-proxy-middleware's own
 * `upgrade` subscription is not used, so no upgrade skips the check).
 */
export async function startPortsServer(options: PortsServerOptions): Promise<PortsServer> {
  const { logger } = options;
  const now = options.now ?? Date.now;
  let url = options.url ?? '';
  const address = (): PortsAddress => ({ url, ...(options.domain ? { domain: options.domain } : {}) });
  const gate: PortGateDeps = { auth: options.auth, targets: options.targets, ports: address };
  const proxy = createProxyMiddleware<IncomingMessage, ServerResponse>({
    router: (req) => (req as Tagged)[UPSTREAM]?.upstream,
    changeOrigin: true,
    proxyTimeout: PORT_UPSTREAM_IDLE_MS,
    on: {
      proxyReq: (proxyReq, req, res) => capBody(req, res, () => proxyReq.destroy()),
      proxyRes: (proxyRes, req) => {
        const admitted = (req as Tagged)[UPSTREAM];
        if (admitted) rewriteResponseHeaders(proxyRes.headers, admitted.address, admitted.upstream);
      },
      error: (error, req, target) => {
        const admitted = (req as Tagged)[UPSTREAM];
        logger.debug(
          { error: error.message, leaseId: admitted?.address.leaseId },
          'port proxy upstream error',
        );
        if (!('writeHead' in target)) {
          (target as Duplex).destroy();
          return;
        }
        const port = admitted?.address.port;
        const timedOut =
          (error as NodeJS.ErrnoException).code === 'ECONNRESET' && !(target as ServerResponse).headersSent;
        if (timedOut && req.socket.destroyed) return;
        sendPortPage(
          target as ServerResponse,
          timedOut ? 504 : 502,
          'No answer',
          `Nothing answered on port ${port} of lease ${admitted?.address.leaseId}: is the app running and listening on all interfaces (0.0.0.0)?`,
        );
      },
    },
  });

  const upgraded = new Set<Duplex>();
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error({ error: (error as Error)?.message ?? String(error) }, 'port proxy request failed');
      sendPortPage(res, 500, 'Something went wrong', 'The port could not be opened; try again.');
    });
  });
  refuseConnectionsTo(server, options.refuseConnectionsTo);
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', (error) => logger.debug({ error: error.message }, 'port proxy response error'));
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > PORT_BODY_LIMIT_BYTES) {
      return sendPortPage(
        res,
        413,
        'Too large',
        `Requests through the port proxy carry at most ${PORT_BODY_LIMIT_BYTES / 1024 ** 2} MiB.`,
      );
    }
    const result = await passGate(gate, req);
    if (result.kind === 'refuse') {
      const { status, title, message } = result.refusal;
      return sendPortPage(res, status, title, message);
    }
    if (result.kind === 'link') {
      res.writeHead(303, {
        'Set-Cookie': portCookie(result.token, result.address, result.exp, now()),
        Location: result.address.pathWithoutToken,
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
      });
      res.end();
      return;
    }
    prepareUpstreamRequest(req, result.value.address);
    (req as Tagged)[UPSTREAM] = result.value;
    await proxy(req, res, (error?: unknown) => {
      if (error) throw error;
    });
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (error) => logger.debug({ error: error.message }, 'port proxy socket error'));
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    upgrade(req, socket, head).catch((error: unknown) => {
      logger.error({ error: (error as Error)?.message ?? String(error) }, 'port proxy upgrade failed');
      refuseUpgrade(socket, 500, 'The port could not be opened; try again.');
    });
  });

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const result = await passGate(gate, req);
    if (result.kind === 'refuse') return refuseUpgrade(socket, result.refusal.status, result.refusal.message);
    if (result.kind === 'link')
      return refuseUpgrade(socket, 400, 'Open the port link in a browser first; sockets use its cookie.');
    const origin = new URL(result.value.address.publicBase).origin;
    if (!originAllowed(req.headers.origin, origin)) {
      return refuseUpgrade(
        socket,
        403,
        `Origin ${String(req.headers.origin).slice(0, 100)} may not open sockets here.`,
      );
    }
    if (socket.destroyed) return;
    prepareUpstreamRequest(req, result.value.address);
    (req as Tagged)[UPSTREAM] = result.value;
    proxy.upgrade(req, socket as Socket, head);
  }

  const port = await listen(server, options.port, options.host);
  server.on('error', (error) => logger.error({ error: error.message }, 'port proxy server error'));
  url ||= `http://127.0.0.1:${port}`;
  logger.info({ port, portsUrl: url, domain: options.domain }, 'port proxy listening');

  let closing: Promise<void> | undefined;
  const close = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const deadline = setTimeout(() => {
      for (const socket of upgraded) socket.destroy();
      server.closeAllConnections();
    }, options.shutdownGraceMs ?? 5_000);
    for (const socket of upgraded) socket.end();
    await closed;
    clearTimeout(deadline);
  };
  return {
    url,
    port,
    server,
    address,
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}

/** Counts a streamed body; past the limit the upload is stopped and refused. */
function capBody(req: IncomingMessage, res: ServerResponse, stopUpstream: () => void): void {
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received <= PORT_BODY_LIMIT_BYTES) return;
    stopUpstream();
    req.unpipe();
    sendPortPage(
      res,
      413,
      'Too large',
      `Requests through the port proxy carry at most ${PORT_BODY_LIMIT_BYTES / 1024 ** 2} MiB.`,
    );
    req.destroy();
  });
}
