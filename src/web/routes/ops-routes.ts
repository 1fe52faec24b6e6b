import express, { type Router } from 'express';
import type { Logger } from '../../core/ports/logger.js';
import type { PrometheusMetrics } from '../metrics.js';
import { checkReadiness, type ReadinessChecks } from '../readiness.js';

export interface OpsRoutesDeps {
  readonly readiness: ReadinessChecks;
  readonly metrics: PrometheusMetrics;
  readonly logger: Logger;
}

/** `/healthz` (the process answers), `/readyz` (Redis and Docker answer), `/metrics` (Prometheus). */
export function opsRoutes(deps: OpsRoutesDeps): Router {
  const router = express.Router();
  let lastWarnings = '';

  router.get('/healthz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const report = await checkReadiness(deps.readiness);
    const warnings = report.warnings.join(' ');
    if (warnings !== lastWarnings && warnings !== '')
      deps.logger.warn({ warnings: report.warnings }, 'readiness');
    lastWarnings = warnings;
    res.setHeader('Cache-Control', 'no-store');
    res.status(report.ready ? 200 : 503).json({ status: report.ready ? 'ready' : 'not_ready', ...report });
  });

  router.get('/metrics', async (_req, res) => {
    const text = await deps.metrics.text();
    res.setHeader('Cache-Control', 'no-store');
    res.type(deps.metrics.contentType).send(text);
  });

  return router;
}
