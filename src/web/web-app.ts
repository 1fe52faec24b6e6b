import express, { type Express } from 'express';
import type { LinkTokens } from '../core/links/link-tokens.js';
import type { FinalLogs } from '../core/ports/final-logs.js';
import type { Logger } from '../core/ports/logger.js';
import type { AdminService } from '../core/services/admin-service.js';
import type { ExecService } from '../core/services/exec-service.js';
import type { LeaseService } from '../core/services/lease-service.js';
import type { TerminalService } from '../core/services/terminal-service.js';
import type { Authenticator } from './auth/authenticator.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import type { PrometheusMetrics } from './metrics.js';
import type { ReadinessChecks } from './readiness.js';
import { apiRoutes } from './routes/api-routes.js';
import { finalLogsRoute } from './routes/final-logs-route.js';
import { linkRoutes } from './routes/link-routes.js';
import { opsRoutes } from './routes/ops-routes.js';
import { pageRoutes } from './routes/page-routes.js';
import { securityHeaders } from './security-headers.js';

export interface WebAppDeps {
  readonly publicUrl: string;
  readonly leases: LeaseService;
  readonly terminals: TerminalService;
  readonly exec: ExecService;
  readonly admin: AdminService;
  readonly auth: Authenticator;
  readonly linkTokens: LinkTokens;
  readonly finalLogs: FinalLogs;
  readonly metrics: PrometheusMetrics;
  readonly readiness: ReadinessChecks;
  readonly logger: Logger;
  readonly staticDir: string;
  readonly now: () => number;
  readonly bodyLimit?: number;
  readonly mount?: (app: Express) => void;
}

/**
 * The Express app. Order matters: security headers, then whatever `mount` adds (Slack's and
 * Discord's receivers read their own raw bodies, so no body parser runs before them), then ours.
 * Only `/api` parses JSON, and only after authenticating.
 */
export function createWebApp(deps: WebAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders(deps.publicUrl));
  deps.mount?.(app);
  const allowedOrigin = new URL(deps.publicUrl).origin;
  app.use(opsRoutes(deps));
  app.use('/api', apiRoutes({ ...deps, allowedOrigin }));
  app.use(
    linkRoutes({
      auth: deps.auth,
      tokens: deps.linkTokens,
      secure: deps.publicUrl.startsWith('https:'),
      now: deps.now,
    }),
  );
  app.use(finalLogsRoute(deps));
  app.use(pageRoutes(deps.staticDir));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
