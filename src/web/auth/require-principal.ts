import type { RequestHandler, Response } from 'express';
import { sendProblem } from '../http-errors.js';
import type { Authenticator, Principal } from './authenticator.js';

const PRINCIPAL = 'containerleasePrincipal';

/** Authenticates an API request by bearer token or session cookie; 401 or 403 otherwise. */
export function requirePrincipal(auth: Authenticator): RequestHandler {
  return (req, res, next) => {
    const result = auth.authenticate({ headers: req.headers });
    if (!result.ok) {
      const { status, message } = result.error;
      sendProblem(res, { status, code: status === 401 ? 'unauthorized' : 'forbidden', message });
      return;
    }
    res.locals[PRINCIPAL] = result.value;
    next();
  };
}

/** The caller that `requirePrincipal` resolved; only call it behind that middleware. */
export function principalOf(res: Response): Principal {
  const principal = res.locals[PRINCIPAL] as Principal | undefined;
  if (!principal) throw new Error('principalOf called on a route without requirePrincipal');
  return principal;
}
