import express, { type Router } from 'express';
import { asCodedError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import type { FinalLogs } from '../../core/ports/final-logs.js';
import type { LeaseService } from '../../core/services/lease-service.js';
import type { Authenticator, Principal } from '../auth/authenticator.js';
import { sendProblem } from '../http-errors.js';

export interface FinalLogsRouteDeps {
  readonly leases: LeaseService;
  readonly auth: Authenticator;
  readonly finalLogs: FinalLogs;
}

/**
 * `GET /logs/<id>/final`: the lines captured when the lease's container was removed. Once the lease
 * record is gone, only its own signed link (the lease cookie or `?token=`) or an admin may read them.
 */
export function finalLogsRoute(deps: FinalLogsRouteDeps): Router {
  const router = express.Router();
  router.get('/logs/:id/final', async (req, res) => {
    const leaseId = req.params.id;
    const queryToken = typeof req.query.token === 'string' ? req.query.token : undefined;
    const result = deps.auth.authenticate({ headers: req.headers, leaseId, queryToken });
    if (!result.ok) {
      const { status, message } = result.error;
      sendProblem(res, { status, code: status === 401 ? 'unauthorized' : 'forbidden', message });
      return;
    }
    await assertMayRead(deps.leases, result.value, leaseId);
    const lines = await deps.finalLogs.load(leaseId);
    if (lines === null)
      throw new NotFoundError(`No final logs were kept for lease ${leaseId} (or they expired).`);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ leaseId, lines });
  });
  return router;
}

async function assertMayRead(leases: LeaseService, principal: Principal, leaseId: string): Promise<void> {
  if (principal.linkLeaseId === leaseId) return;
  try {
    await leases.get(principal.actor, leaseId);
  } catch (error) {
    if (asCodedError(error).code !== 'not_found') throw error;
    if (!principal.actor.isAdmin) {
      throw new ForbiddenError('Open the lease link from the bot to read the logs of a lease that ended.');
    }
  }
}
