import type { IncomingHttpHeaders } from 'node:http';
import type {
  LeaseLinkScope,
  LinkClaims,
  LinkFailure,
  LinkScope,
  LinkTokens,
} from '../../core/links/link-tokens.js';
import { err, ok, type Result } from '../../core/result.js';
import type { Actor } from '../../core/services/access-policy.js';
import { ApiTokenCheck, bearerToken } from './api-token-check.js';
import { LINK_COOKIES, parseCookies, SESSION_COOKIE } from './cookies.js';

/** Owners of API callers are `api:<API_TOKENS name>`. */
const API_OWNER = 'api:';

/** How a caller proved who they are. */
export type Via = 'bearer' | 'session' | 'link';

export interface Principal {
  readonly actor: Actor;
  readonly via: Via;
  /** The API_TOKENS name, for bearer callers. */
  readonly apiName?: string;
  /** The lease whose signed link the caller presented (as `?token=` or the lease cookie). */
  readonly linkLeaseId?: string;
}

export interface AuthRefusal {
  readonly status: 401 | 403;
  readonly message: string;
}

export interface AuthRequest {
  readonly headers: IncomingHttpHeaders;
  /** The lease the request is about, for routes under `/logs/<id>` or `/terminal/<id>`; a lease link counts only there. */
  readonly leaseId?: string;
  /** Which lease link counts here, as `?token=` or its cookie. @defaultValue 'logs' */
  readonly linkScope?: LeaseLinkScope;
  /** A `?token=` from the URL; accepted only with `leaseId`, and only of `linkScope`. */
  readonly queryToken?: string;
}

/**
 * Resolves the caller of a request or a WebSocket upgrade: a lease link token, an API bearer token,
 * the lease link's cookie, or the session cookie, in that order. A lease link (logs or terminal,
 * token or cookie) counts only for the lease it names, and only on that lease's pages of its scope;
 * everything else needs a session or a bearer token. Explicit credentials that fail are refused; a stale
 * cookie falls through to the next one. Every request is checked against the API_TOKENS the
 * process runs with, so the sessions and links of an `api:` owner end once its token is removed.
 */
export class Authenticator {
  private readonly apiTokens: ApiTokenCheck;

  constructor(
    private readonly tokens: LinkTokens,
    apiTokens: ReadonlyMap<string, string>,
    private readonly actorOf: (owner: string) => Actor,
  ) {
    this.apiTokens = new ApiTokenCheck(apiTokens);
  }

  authenticate(request: AuthRequest): Result<Principal, AuthRefusal> {
    const { leaseId, queryToken } = request;
    const scope = request.linkScope ?? 'logs';
    if (queryToken !== undefined && leaseId !== undefined) return this.fromLink(queryToken, leaseId, scope);
    const bearer = bearerToken(request.headers.authorization);
    if (bearer !== undefined) return this.fromBearer(bearer);
    const cookies = parseCookies(request.headers.cookie);
    const leaseCookie = cookies.get(LINK_COOKIES[scope]);
    if (leaseCookie !== undefined && leaseId !== undefined) {
      const linked = this.fromLink(leaseCookie, leaseId, scope);
      if (linked.ok) return linked;
    }
    const session = cookies.get(SESSION_COOKIE);
    if (session === undefined) {
      return err({ status: 401, message: 'Sign in first: open a link from the bot, or send an API token.' });
    }
    return this.principal(this.tokens.verify(session, { scope: 'session' }), 'session', 'Your session');
  }

  /** Checks a link token of `scope` (for the token exchange of `GET /logs/<id>`, `GET /terminal/<id>` and `GET /`). */
  verifyLink(token: string, scope: LinkScope, leaseId?: string): Result<LinkClaims, AuthRefusal> {
    return this.claims(this.tokens.verify(token, { scope, leaseId }), 'This link');
  }

  private fromLink(token: string, leaseId: string, scope: LeaseLinkScope): Result<Principal, AuthRefusal> {
    return this.principal(this.tokens.verify(token, { scope, leaseId }), 'link', 'This link');
  }

  private fromBearer(token: string | null): Result<Principal, AuthRefusal> {
    if (token === null)
      return err({ status: 401, message: 'The Authorization header must be "Bearer <token>".' });
    const name = this.apiTokens.nameOf(token);
    if (name === undefined) return err({ status: 401, message: 'That API token is not one of API_TOKENS.' });
    return this.withActor(`${API_OWNER}${name}`, (actor) => ({ actor, via: 'bearer', apiName: name }));
  }

  private principal(
    verified: Result<LinkClaims, LinkFailure>,
    via: Via,
    what: string,
  ): Result<Principal, AuthRefusal> {
    const checked = this.claims(verified, what);
    if (!checked.ok) return checked;
    const claims = checked.value;
    return this.withActor(claims.owner, (actor) =>
      via === 'link' ? { actor, via, linkLeaseId: claims.leaseId } : { actor, via },
    );
  }

  /** A verified token's claims, unless its owner is an API caller whose token was removed since it was signed. */
  private claims(verified: Result<LinkClaims, LinkFailure>, what: string): Result<LinkClaims, AuthRefusal> {
    if (!verified.ok) return err(refusal(verified.error, what));
    const { owner } = verified.value;
    if (owner.startsWith(API_OWNER) && !this.apiTokens.has(owner.slice(API_OWNER.length))) {
      return err({ status: 401, message: `${what} belongs to ${owner}, whose API token was removed.` });
    }
    return verified;
  }

  private withActor(owner: string, make: (actor: Actor) => Principal): Result<Principal, AuthRefusal> {
    try {
      return ok(make(this.actorOf(owner)));
    } catch {
      return err({ status: 401, message: 'These credentials name no valid owner.' });
    }
  }
}

function refusal(failure: LinkFailure, what: string): AuthRefusal {
  switch (failure) {
    case 'expired':
      return { status: 401, message: `${what} has expired; ask the bot for a fresh link.` };
    case 'wrong_lease':
    case 'wrong_scope':
      return { status: 403, message: `${what} is for something else; ask the bot for the right link.` };
    default:
      return { status: 401, message: `${what} is not valid; ask the bot for a fresh link.` };
  }
}
