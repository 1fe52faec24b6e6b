import express, { type Router } from 'express';
import { parsePortNumber } from '../../core/domain/port-number.js';
import { ValidationError } from '../../core/errors.js';
import type { AdminService } from '../../core/services/admin-service.js';
import type { ExecService } from '../../core/services/exec-service.js';
import { requirePort } from '../../core/services/lease-rules.js';
import type { LeaseService } from '../../core/services/lease-service.js';
import type { TerminalService } from '../../core/services/terminal-service.js';
import type { ProvisionedJson } from '../api-types.js';
import type { Authenticator, Principal } from '../auth/authenticator.js';
import { csrfGuard } from '../auth/csrf.js';
import { principalOf, requirePrincipal } from '../auth/require-principal.js';
import { notFoundHandler } from '../error-handler.js';
import { jsonBody, jsonIfAnyBody, requireJson } from '../json-body.js';
import { imageJson, leaseJson, portLinkJson } from '../lease-json.js';
import { notifyTargetFor } from '../notify-target.js';
import { execBody, extendBody, listQuery, parseWith, provisionBody, stopBody } from '../request-schemas.js';
import { TICKET_PARAM } from '../terminal/terminal-protocol.js';
import { adminRoutes } from './admin-routes.js';

export interface ApiRoutesDeps {
  readonly leases: LeaseService;
  readonly terminals: TerminalService;
  readonly exec: ExecService;
  readonly admin: AdminService;
  /** Where browsers and scripts reach this server: the terminal socket URL is made from it. */
  readonly publicUrl: string;
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
    // Checked before anything is made, so a bad port never leaves a lease behind.
    const port = body.port === undefined ? undefined : requirePort(body.port);
    const principal = principalOf(res);
    const lease = await leases.provision(principal.actor, {
      imageType: body.imageType,
      minutes: body.durationMinutes,
      notify: notifyTarget(principal),
    });
    const link = port === undefined ? undefined : await leases.portLink(principal.actor, lease.id, port);
    const json: ProvisionedJson = link
      ? { ...leaseJson(lease), portLink: { port: link.port, ...portLinkJson(link) } }
      : leaseJson(lease);
    res.status(201).location(`/api/containers/${lease.id}`).json(json);
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

  router.delete('/containers/:id', jsonIfAnyBody, async (req, res) => {
    const { reason } = parseWith(stopBody, req.body ?? {}, 'stop request');
    const { actor } = principalOf(res);
    // A reason is the admins' way to tell an owner why; the admin service refuses it from anyone else.
    if (reason === undefined) await leases.stop(actor, String(req.params.id));
    else await deps.admin.stop(actor, String(req.params.id), reason);
    res.status(204).end();
  });

  router.post('/containers/:id/extend', requireJson, async (req, res) => {
    const body = parseWith(extendBody, req.body, 'extend request');
    res.json(leaseJson(await leases.extend(principalOf(res).actor, String(req.params.id), body.minutes)));
  });

  router.post('/containers/:id/terminal', async (req, res) => {
    const leaseId = String(req.params.id);
    const { ticket, expiresAt } = await deps.terminals.ticket(principalOf(res).actor, leaseId);
    const url = new URL(`/terminal/${encodeURIComponent(leaseId)}`, deps.publicUrl.replace(/^http/, 'ws'));
    url.searchParams.set(TICKET_PARAM, ticket);
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json({ ticket, url: url.toString(), expiresAt: new Date(expiresAt).toISOString() });
  });

  router.post('/containers/:id/exec', requireJson, async (req, res) => {
    const body = parseWith(execBody, req.body, 'exec request');
    // A caller that hangs up does not leave its command running to the timeout.
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const result = await deps.exec.run(principalOf(res).actor, String(req.params.id), body, gone.signal);
    res.setHeader('Cache-Control', 'no-store');
    res.json(result);
  });

  router.post('/containers/:id/ports/:port/link', async (req, res) => {
    const text = String(req.params.port);
    const port = parsePortNumber(text);
    if (port === undefined) {
      throw new ValidationError(
        `"${text.slice(0, 20)}" is not a port: ports are whole numbers from 1 to 65535.`,
        {
          details: { field: 'port' },
        },
      );
    }
    res.json(portLinkJson(await leases.portLink(principalOf(res).actor, String(req.params.id), port)));
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
