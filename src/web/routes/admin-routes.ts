import express, { type Request, type Router } from 'express';
import type { AdminService } from '../../core/services/admin-service.js';
import { auditCsv } from '../audit-csv.js';
import { principalOf } from '../auth/require-principal.js';
import { auditQuery, parseWith, usageQuery } from '../request-schemas.js';

export interface AdminRoutesDeps {
  readonly admin: AdminService;
}

/**
 * The admins' part of `/api` (mounted behind its authentication): the audit trail as JSON or CSV,
 * and usage. Anyone else gets 403 from the service.
 */
export function adminRoutes(deps: AdminRoutesDeps): Router {
  const router = express.Router();

  router.get('/audit', async (req, res) => {
    const query = parseWith(auditQuery, req.query, 'query');
    const page = await deps.admin.audit(principalOf(res).actor, {
      ...(query.lease === undefined ? {} : { leaseId: query.lease }),
      ...(query.owner === undefined ? {} : { owner: query.owner }),
      ...(query.since === undefined ? {} : { since: query.since }),
      ...(query.until === undefined ? {} : { until: query.until }),
      ...(query.limit === undefined ? {} : { limit: query.limit }),
      ...(query.after === undefined ? {} : { after: query.after }),
    });
    if (query.format === 'csv' || (query.format === undefined && wantsCsv(req))) {
      if (page.next) res.setHeader('X-Next-Page', page.next);
      res.type('text/csv; charset=utf-8').attachment('audit.csv').send(auditCsv(page.entries));
      return;
    }
    res.json({
      entries: page.entries.map((entry) => ({ ...entry, time: new Date(entry.at).toISOString() })),
      ...(page.next ? { next: page.next } : {}),
    });
  });

  router.get('/usage', async (req, res) => {
    const query = parseWith(usageQuery, req.query, 'query');
    res.json(await deps.admin.usage(principalOf(res).actor, query.days ?? 7));
  });

  return router;
}

/** `Accept: text/csv` asks for CSV; anything else (or nothing) gets JSON. */
function wantsCsv(req: Request): boolean {
  return req.accepts(['application/json', 'text/csv']) === 'text/csv';
}
