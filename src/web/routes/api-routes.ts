import express, { type Router } from 'express';
import type { AdminService } from '../../core/services/admin-service.js';
import type { LeaseService } from '../../core/services/lease-service.js';
import type { Authenticator, Principal } from '../auth/authenticator.js';
import { csrfGuard } from '../auth/csrf.js';
import { principalOf, requirePrincipal } from '../auth/require-principal.js';
import { notFoundHandler } from '../error-handler.js';
import { jsonBody, requireJson } from '../json-body.js';
import { imageJson, leaseJson } from '../lease-json.js';
import { notifyTargetFor } from '../notify-target.js';
import { extendBody, listQuery, parseWith, provisionBody } from '../request-schemas.js';
import { adminRoutes } from './admin-routes.js';

export interface ApiRoutesDeps {
  readonly leases: LeaseService;
  readonly admin: AdminService;
  readonly auth: Authenticator;
  readonly allowedOrigin: string;
  readonly bodyLimit?: number;
}

/** `/api`: parse, call LeaseService, render. Authentication runs before any body is read. */
export function apiRoutes(deps: ApiRoutesDeps): Router {
  const { leases } = deps;
  const router = express.Router();
  router.use(requirePrincipal(deps.auth), csrfGuard(deps.allowedOrigin), jsonBody(deps.bodyLimit));

  router.get('/me', (_req, res) => {
    const { actor, via } = principalOf(res);
    res.json({ owner: actor.owner, isAdmin: actor.isAdmin, via });
  });

  router.get('/images', (_req, res) => {
    res.json({ images: leases.images().map(imageJson) });
  });

  router.post('/provision', requireJson, async (req, res) => {
    const body = parseWith(provisionBody, req.body, 'provision request');
    const principal = principalOf(res);
    const lease = await leases.provision(principal.actor, {
      imageType: body.imageType,
      minutes: body.durationMinutes,
      notify: notifyTarget(principal),
    });
    res.status(201).location(`/api/containers/${lease.id}`).json(leaseJson(lease));
  });

  router.get('/containers', async (req, res) => {
    const query = parseWith(listQuery, req.query, 'query');
    const all = query.all === '1' || query.all === 'true';
    const list = await leases.list(principalOf(res).actor, { all });
    res.json({ containers: list.map(leaseJson) });
  });

  router.get('/containers/:id', async (req, res) => {
    res.json(leaseJson(await leases.get(principalOf(res).actor, req.params.id)));
  });

  router.delete('/containers/:id', async (req, res) => {
    await leases.stop(principalOf(res).actor, req.params.id);
    res.status(204).end();
  });

  router.post('/containers/:id/extend', requireJson, async (req, res) => {
    const body = parseWith(extendBody, req.body, 'extend request');
    res.json(leaseJson(await leases.extend(principalOf(res).actor, String(req.params.id), body.minutes)));
  });

  router.use(adminRoutes(deps));
  router.use(notFoundHandler);
  return router;
}

/** API callers are told as `{platform: 'api', user: <token name>}`; cookie sessions on their own platform. */
function notifyTarget(principal: Principal) {
  if (principal.apiName !== undefined) return { platform: 'api', user: principal.apiName };
  return notifyTargetFor(principal.actor.owner);
}
