import type { RequestHandler } from 'express';
import { sendProblem } from '../http-errors.js';
import { principalOf } from './require-principal.js';

/** The header the page sends with every state-changing request. */
export const CSRF_HEADER = 'x-requested-by';
export const CSRF_VALUE = 'containerlease';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Requests authenticated by the cookie (which the browser attaches on its own) may change state only
 * when they carry `X-Requested-By: containerlease` (another site cannot set a custom header without
 * a CORS preflight, which this server never grants) and, when the browser names one, our Origin.
 * Bearer-token callers send no ambient credentials and are not checked.
 */
export function csrfGuard(allowedOrigin: string): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method) || principalOf(res).via === 'bearer') {
      next();
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== allowedOrigin) {
      refuse(res, `Cross-site request refused: Origin ${origin.slice(0, 100)} is not ${allowedOrigin}.`);
      return;
    }
    if (req.headers[CSRF_HEADER] !== CSRF_VALUE) {
      refuse(res, `Requests signed in by cookie must send the header X-Requested-By: ${CSRF_VALUE}.`);
      return;
    }
    next();
  };
}

function refuse(res: Parameters<RequestHandler>[1], message: string): void {
  sendProblem(res, { status: 403, code: 'forbidden', message });
}
