import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import { WebSocketServer } from 'ws';
import type { LinkTokens } from '../core/links/link-tokens.js';
import type { ContainerRuntime } from '../core/ports/container-runtime.js';
import type { FinalLogs } from '../core/ports/final-logs.js';
import type { Logger } from '../core/ports/logger.js';
import type { AdminService } from '../core/services/admin-service.js';
import type { ExecService } from '../core/services/exec-service.js';
import type { LeaseService } from '../core/services/lease-service.js';
import type { TerminalService } from '../core/services/terminal-service.js';
import { Authenticator } from './auth/authenticator.js';
import { originOf } from './auth/origin.js';
import { listen } from './listen.js';
import { leaseEndReason } from './logs/end-reason.js';
import { startHeartbeat } from './logs/heartbeat.js';
import { LogHub, type ViewerStats } from './logs/log-hub.js';
import { CLOSE_CODES } from './logs/log-protocol.js';
import type { BackpressureLimits } from './logs/log-viewer.js';
import { logsSocketRoute } from './logs/upgrade-handler.js';
import type { PrometheusMetrics } from './metrics.js';
import type { ReadinessChecks } from './readiness.js';
import { upgradeRouter } from './sockets/upgrade-router.js';
import type { BridgeOptions } from './terminal/terminal-bridge.js';
import { TerminalHub } from './terminal/terminal-hub.js';
import { TERMINAL_MAX_FRAME_BYTES } from './terminal/terminal-protocol.js';
import { terminalSocketRoute } from './terminal/terminal-socket.js';
import { createWebApp } from './web-app.js';

export interface WebServerOptions {
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** Interface to listen on. @defaultValue all interfaces */
  readonly host?: string;
  /**
   * Local addresses whose connections are closed unanswered: the host's addresses on the lease
   * network, where a leased container would otherwise reach `/metrics` and the rest.
   */
  readonly refuseConnectionsTo?: readonly string[];
  /**
   * Where browsers reach this server (PUBLIC_URL): the only Origin allowed to open log streams and
   * send cookie-authenticated writes, and https here makes cookies Secure.
   * @defaultValue `http://127.0.0.1:<bound port>`
   */
  readonly publicUrl?: string;
  readonly leases: LeaseService;
  /** The terminal page and socket, and their tickets. */
  readonly terminals: TerminalService;
  /** `POST /api/containers/<id>/exec`. */
  readonly exec: ExecService;
  /** The admins' use cases: `/api/audit`, `/api/usage`. */
  readonly admin: AdminService;
  /** Verifies link tokens and signs the session cookie. */
  readonly linkTokens: LinkTokens;
  /** API_TOKENS: name → token; a bearer of the token acts as owner `api:<name>`. */
  readonly apiTokens: ReadonlyMap<string, string>;
  /** Follows container logs for the log streams. */
  readonly runtime: ContainerRuntime;
  readonly finalLogs: FinalLogs;
  readonly metrics: PrometheusMetrics;
  readonly readiness: ReadinessChecks;
  /** Read when Prometheus scrapes. */
  readonly gauges: {
    activeLeases(): Promise<number>;
    notificationsPending(): Promise<number>;
    poolIdle?(): Promise<ReadonlyMap<string, number>>;
  };
  readonly logger: Logger;
  /** Called before any body parser, for routes that read raw bodies (Slack's and Discord's receivers). */
  readonly mount?: (app: Express) => void;
  /** The bundled page. @defaultValue `static/` beside this module (dist/web/static after a build) */
  readonly staticDir?: string;
  readonly logStreams?: {
    /** @defaultValue 1000 */
    readonly backlogLines?: number;
    /** @defaultValue 500 */
    readonly maxBatchLines?: number;
    readonly backpressure?: BackpressureLimits;
    /** @defaultValue 30000 */
    readonly heartbeatMs?: number;
  };
  readonly terminalSockets?: Partial<Omit<BridgeOptions, 'logger'>>;
  /** close() waits this long for connections to finish before cutting them. @defaultValue 5000 */
  readonly shutdownGraceMs?: number;
  readonly now?: () => number;
}

export interface WebServer {
  readonly url: string;
  readonly port: number;
  readonly app: Express;
  readonly server: Server;
  readonly logStreams: {
    readonly streamCount: number;
    readonly viewerCount: number;
    viewerStats(): ViewerStats[];
  };
  /** Terminal sockets open now. */
  readonly terminalCount: number;
  /** Stops accepting, closes log and terminal sockets with 1001, aborts Docker streams, ends shells and connections. */
  close(): Promise<void>;
}

/** Starts the web front-end: REST API, signed links, log streams, the page, health and metrics. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  let app: Express | undefined;
  const server = createServer((req, res) => {
    if (app) app(req, res);
    else res.writeHead(503).end();
  });
  const refused = new Set(options.refuseConnectionsTo ?? []);
  if (refused.size > 0)
    server.on('connection', (socket) => {
      if (refused.has(plainAddress(socket.localAddress))) socket.destroy();
    });
  const port = await listen(server, options.port, options.host);
  // After listen, the server still emits 'error' when accepting a connection fails (EMFILE when out
  // of file descriptors): the connection is lost, the server and the process carry on.
  server.on('error', (error) => options.logger.error({ error: error.message }, 'web server error'));
  const publicUrl = options.publicUrl ?? `http://127.0.0.1:${port}`;
  const now = options.now ?? Date.now;
  const { leases, logger } = options;
  const auth = new Authenticator(options.linkTokens, options.apiTokens, (owner) => leases.actor(owner));
  app = createWebApp({
    ...options,
    publicUrl,
    auth,
    now,
    staticDir: options.staticDir ?? fileURLToPath(new URL('./static', import.meta.url)),
  });

  const hub = new LogHub({
    runtime: options.runtime,
    logger,
    endReason: leaseEndReason(leases, logger),
    ...options.logStreams,
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  // Keystrokes are small, pastes come in pieces; compression would only cost the echo its speed.
  const terminalWss = new WebSocketServer({
    noServer: true,
    maxPayload: TERMINAL_MAX_FRAME_BYTES,
    perMessageDeflate: false,
  });
  const terminalHub = new TerminalHub({ ...options.terminalSockets, logger });
  const stopHeartbeats = [wss, terminalWss].map((sockets) =>
    startHeartbeat(sockets, options.logStreams?.heartbeatMs),
  );
  let closing: Promise<void> | undefined;
  server.on(
    'upgrade',
    upgradeRouter({
      routes: [
        logsSocketRoute({ auth, leases, hub, wss, logger }),
        terminalSocketRoute({
          auth,
          terminals: options.terminals,
          hub: terminalHub,
          wss: terminalWss,
          logger,
        }),
      ],
      allowedOrigin: originOf(publicUrl),
      logger,
      isClosing: () => closing !== undefined,
    }),
  );
  options.metrics.watch({ ...options.gauges, logViewers: () => hub.viewerCount });
  logger.info({ port, publicUrl }, 'web server listening');

  const close = async () => {
    for (const stop of stopHeartbeats) stop();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    hub.closeAll(CLOSE_CODES.goingAway, 'server shutting down');
    const shellsEnded = terminalHub.closeAll(CLOSE_CODES.goingAway, 'server shutting down');
    for (const sockets of [wss, terminalWss]) {
      for (const socket of sockets.clients) socket.close(CLOSE_CODES.goingAway, 'server shutting down');
      sockets.close();
    }
    server.closeIdleConnections();
    const deadline = setTimeout(() => {
      for (const sockets of [wss, terminalWss]) for (const socket of sockets.clients) socket.terminate();
      server.closeAllConnections();
    }, options.shutdownGraceMs ?? 5_000);
    await Promise.all([closed, shellsEnded]);
    clearTimeout(deadline);
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    app,
    server,
    logStreams: {
      get streamCount() {
        return hub.streamCount;
      },
      get viewerCount() {
        return hub.viewerCount;
      },
      viewerStats: () => hub.viewerStats(),
    },
    get terminalCount() {
      return terminalHub.count;
    },
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}

/** An IPv4 address as a dual-stack socket reports it (`::ffff:172.18.0.1`), without the prefix. */
function plainAddress(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:/, '');
}
