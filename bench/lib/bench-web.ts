import type { Express } from 'express';
import type { PrometheusMetrics } from '../../src/web/metrics.js';
import { startWebServer, type WebServer } from '../../src/web/web-server.js';
import type { BenchEnv } from './bench-env.js';

export const API_TOKEN = 'bench-api-token-0123456789abcdef';

/**
 * The real web server over a bench environment, wired as src/app.ts wires it (the same metrics
 * object as the LeaseService, readiness and gauges on the same Redis and runtime), on a free port.
 * The bearer token `API_TOKEN` acts as `api:bench`.
 */
export function startBenchWeb(
  env: BenchEnv,
  metrics: PrometheusMetrics,
  mount?: (app: Express) => void,
): Promise<WebServer> {
  return startWebServer({
    port: 0,
    host: '127.0.0.1',
    leases: env.leases,
    terminals: env.terminals,
    exec: env.exec,
    admin: env.admin,
    linkTokens: env.linkTokens,
    apiTokens: new Map([['bench', API_TOKEN]]),
    runtime: env.runtime,
    finalLogs: env.finalLogs,
    metrics,
    readiness: { redis: async () => ({ maxmemoryPolicy: 'noeviction' }), docker: () => env.runtime.ping() },
    gauges: { activeLeases: () => env.store.count(), notificationsPending: async () => 0 },
    logger: env.logger,
    mount,
  });
}
