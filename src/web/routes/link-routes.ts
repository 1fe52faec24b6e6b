import express, { type Response, type Router } from 'express';
import type { LinkTokens } from '../../core/links/link-tokens.js';
import type { Authenticator, AuthRefusal } from '../auth/authenticator.js';
import { LINK_COOKIES, SESSION_COOKIE, setCookie } from '../auth/cookies.js';
import { messagePage } from './html.js';

/** A session made from a link lasts as long as the link, and at most this long. @defaultValue 7 days */
export const SESSION_MAX_MS = 7 * 24 * 3_600_000;

export interface LinkRoutesDeps {
  readonly auth: Authenticator;
  readonly tokens: LinkTokens;
  /** Cookies get `Secure` when PUBLIC_URL is https. */
  readonly secure: boolean;
  readonly now: () => number;
}

/**
 * Trades the token of a signed link for an HttpOnly cookie and redirects to the same page without
 * it, so the token does not stay in the address bar, the history or a Referer.
 * `GET /?token=` (scope session) starts a session (`cl_session`); `GET /logs/<id>?token=` (scope
 * logs) sets only that lease's `cl_lease`, which grants its logs and final logs and nothing else,
 * and `GET /terminal/<id>?token=` (scope terminal) only its `cl_terminal`, which grants its
 * terminal: lease links travel (a forwarded message), sessions must not.
 */
export function linkRoutes(deps: LinkRoutesDeps): Router {
  const router = express.Router();

  router.get('/', (req, res, next) => {
    const token = req.query.token;
    if (token === undefined) return next();
    if (typeof token !== 'string') return refuse(res, badLink);
    const verified = deps.auth.verifyLink(token, 'session');
    if (!verified.ok) return refuse(res, verified.error);
    startSession(res, deps, verified.value.owner, verified.value.exp);
    res.redirect(303, '/');
  });

  for (const [scope, cookie] of Object.entries(LINK_COOKIES) as Array<[keyof typeof LINK_COOKIES, string]>) {
    router.get(`/${scope}/:id`, (req, res, next) => {
      const token = req.query.token;
      if (token === undefined) return next();
      if (typeof token !== 'string') return refuse(res, badLink);
      const leaseId = req.params.id;
      const verified = deps.auth.verifyLink(token, scope, leaseId);
      if (!verified.ok) return refuse(res, verified.error);
      setCookie(res, cookie, token, {
        ...cookieBase(deps, `/${scope}/${leaseId}`),
        expiresAt: verified.value.exp,
      });
      res.redirect(303, `/${scope}/${encodeURIComponent(leaseId)}`);
    });
  }

  return router;
}

const badLink: AuthRefusal = { status: 401, message: 'This link carries more than one token.' };

function startSession(res: Response, deps: LinkRoutesDeps, owner: string, linkExp: number): void {
  const exp = Math.min(linkExp, deps.now() + SESSION_MAX_MS);
  const session = deps.tokens.sign({ leaseId: '*', owner, scope: 'session', exp });
  setCookie(res, SESSION_COOKIE, session, { ...cookieBase(deps, '/'), expiresAt: exp });
}

function cookieBase(deps: LinkRoutesDeps, path: string) {
  return { secure: deps.secure, path, now: deps.now() };
}

function refuse(res: Response, refusal: AuthRefusal): void {
  res
    .status(refusal.status)
    .type('html')
    .send(messagePage(refusal.status === 401 ? 'Link not valid' : 'Wrong link', refusal.message));
}
