import { createHmac, timingSafeEqual } from 'node:crypto';
import { err, ok, type Result } from '../result.js';

/**
 * What a link of each scope grants, and whether it names one lease (`*` otherwise). A `logs` link
 * grants that lease's logs and final logs, nothing else; a `terminal` link that lease's terminal
 * page and socket, nothing else; a `port` link one port of one lease on the port proxy (its `port`
 * claim), nothing else; only a `session` link signs its owner in (the `cl_session` cookie, good for
 * the dashboard and the API). A new scope is one row here.
 */
export const LINK_SCOPES = {
  logs: { oneLease: true },
  terminal: { oneLease: true },
  port: { oneLease: true },
  session: { oneLease: false },
} as const satisfies Record<string, { readonly oneLease: boolean }>;

export type LinkScope = keyof typeof LINK_SCOPES;

/**
 * The scopes whose links name one lease and open one of its pages on the web server; `port` links
 * belong to the port proxy, which has an origin of its own.
 */
export type LeaseLinkScope = Exclude<LinkScope, 'session' | 'port'>;

function isLinkScope(value: unknown): value is LinkScope {
  return typeof value === 'string' && Object.hasOwn(LINK_SCOPES, value);
}

export interface LinkClaims {
  /** The lease the link is for; `*` for a dashboard link. */
  readonly leaseId: string;
  readonly owner: string;
  readonly scope: LinkScope;
  /** Expiry, epoch milliseconds. */
  readonly exp: number;
  /** The one port a `port` link opens; absent from every other scope. */
  readonly port?: number;
}

export type LinkFailure =
  | 'malformed'
  | 'bad_signature'
  | 'expired'
  | 'wrong_scope'
  | 'wrong_lease'
  | 'wrong_port';

const VERSION = 'v1';

/**
 * HMAC-SHA256 tokens over (leaseId, owner, scope, exp, and a port link's port): `v1.<payload>.<signature>`, both base64url.
 * Checked in constant time. The same module signs the links in chat replies and verifies them on the web.
 */
export class LinkTokens {
  constructor(
    private readonly secret: string,
    private readonly now: () => number,
  ) {}

  sign(claims: LinkClaims): string {
    const payload = Buffer.from(
      JSON.stringify({ l: claims.leaseId, o: claims.owner, s: claims.scope, e: claims.exp, p: claims.port }),
    ).toString('base64url');
    return `${VERSION}.${payload}.${this.mac(payload)}`;
  }

  /**
   * Checks a token of `scope`; a scope that names one lease is checked against `leaseId`, which it
   * needs, and its port against `port` (a token without a port matches only where none is expected).
   */
  verify(
    token: string,
    expected: { scope: LinkScope; leaseId?: string; port?: number },
  ): Result<LinkClaims, LinkFailure> {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== VERSION || !parts[1] || !parts[2] || token.length > 2048) {
      return err('malformed');
    }
    const [, payload, signature] = parts as [string, string, string];
    // The text is compared, not the bytes it decodes to: base64url's last character carries spare
    // bits, so several spellings decode alike, and only the one we signed is ours.
    const given = Buffer.from(signature);
    const wanted = Buffer.from(this.mac(payload));
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return err('bad_signature');
    const claims = parseClaims(payload);
    if (!claims) return err('malformed');
    if (claims.exp <= this.now()) return err('expired');
    if (claims.scope !== expected.scope) return err('wrong_scope');
    const wantedLease = LINK_SCOPES[claims.scope].oneLease ? expected.leaseId : '*';
    if (claims.leaseId !== wantedLease) return err('wrong_lease');
    if (claims.port !== expected.port) return err('wrong_port');
    return ok(claims);
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(`${VERSION}.${payload}`).digest('base64url');
  }
}

function parseClaims(payload: string): LinkClaims | null {
  try {
    const raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const { l, o, s, e, p } = raw;
    if (typeof l !== 'string' || typeof o !== 'string' || typeof e !== 'number') return null;
    if (!isLinkScope(s)) return null;
    if (p !== undefined && !Number.isInteger(p)) return null;
    const claims = { leaseId: l, owner: o, scope: s, exp: e };
    return p === undefined ? claims : { ...claims, port: p as number };
    // Stryker disable next-line BlockStatement: an emptied catch returns undefined, which verify reads as null: malformed either way
  } catch {
    return null;
  }
}
