import { describe, expect, it } from 'vitest';
import { type LinkClaims, LinkTokens } from '../../../../src/core/links/link-tokens.js';
import type { Actor } from '../../../../src/core/services/access-policy.js';
import { Authenticator, type AuthRequest } from '../../../../src/web/auth/authenticator.js';

const now = 1_800_000_000_000;
const tokens = new LinkTokens('k'.repeat(32), () => now);
const apiTokens = new Map([['ci', 'ci-token-value']]);
/** The product refuses owners it cannot parse; here, any owner starting with `bad:`. */
function actorOf(owner: string): Actor {
  if (owner.startsWith('bad:')) throw new Error(`not an owner: ${owner}`);
  return { owner, isAdmin: owner === 'slack:T1:ADMIN' };
}
const auth = new Authenticator(tokens, apiTokens, actorOf);

const owner = 'slack:T1:U1';
const sign = (claims: Partial<LinkClaims> & Pick<LinkClaims, 'scope'>) =>
  tokens.sign({ leaseId: 'lease1', owner, exp: now + 60_000, ...claims });
const session = (who = owner, exp = now + 60_000) =>
  sign({ scope: 'session', leaseId: '*', owner: who, exp });
const cookie = (pairs: Record<string, string>) =>
  Object.entries(pairs)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
const request = (
  request: Partial<AuthRequest> & { cookie?: string; authorization?: string },
): AuthRequest => ({
  ...request,
  headers: { cookie: request.cookie, authorization: request.authorization },
});

describe('the authenticator', () => {
  it('GIVEN a lease link as ?token= on its lease page THEN the caller is its owner, by link, for that lease only', () => {
    expect(auth.authenticate(request({ leaseId: 'lease1', queryToken: sign({ scope: 'logs' }) }))).toEqual({
      ok: true,
      value: { actor: { owner, isAdmin: false }, via: 'link', linkLeaseId: 'lease1' },
    });
    expect(auth.authenticate(request({ leaseId: 'lease2', queryToken: sign({ scope: 'logs' }) }))).toEqual({
      ok: false,
      error: { status: 403, message: 'This link is for something else; ask the bot for the right link.' },
    });
  });

  it('GIVEN a terminal link THEN it counts on the terminal page only, and a logs link not there', () => {
    const terminal = sign({ scope: 'terminal' });
    expect(
      auth.authenticate(request({ leaseId: 'lease1', linkScope: 'terminal', queryToken: terminal })),
    ).toMatchObject({ ok: true, value: { via: 'link', linkLeaseId: 'lease1' } });
    expect(auth.authenticate(request({ leaseId: 'lease1', queryToken: terminal }))).toMatchObject({
      ok: false,
      error: { status: 403 },
    });
    const logs = sign({ scope: 'logs' });
    expect(
      auth.authenticate(request({ leaseId: 'lease1', linkScope: 'terminal', queryToken: logs })),
    ).toMatchObject({
      ok: false,
      error: { status: 403 },
    });
  });

  it('GIVEN a ?token= where no lease is named THEN it is not a credential: the session decides', () => {
    const queryToken = sign({ scope: 'logs' });
    expect(auth.authenticate(request({ queryToken }))).toEqual({
      ok: false,
      error: { status: 401, message: 'Sign in first: open a link from the bot, or send an API token.' },
    });
    expect(
      auth.authenticate(request({ queryToken, cookie: cookie({ cl_session: session('slack:T1:ADMIN') }) })),
    ).toEqual({ ok: true, value: { actor: { owner: 'slack:T1:ADMIN', isAdmin: true }, via: 'session' } });
  });

  it('GIVEN an expired, forged or malformed link THEN 401 saying which, never a principal', () => {
    const expired = sign({ scope: 'logs', exp: now });
    expect(auth.authenticate(request({ leaseId: 'lease1', queryToken: expired }))).toEqual({
      ok: false,
      error: { status: 401, message: 'This link has expired; ask the bot for a fresh link.' },
    });
    const forged = `${sign({ scope: 'logs' }).slice(0, -2)}AA`;
    for (const queryToken of [forged, 'v1.nonsense', 'x']) {
      expect(auth.authenticate(request({ leaseId: 'lease1', queryToken }))).toEqual({
        ok: false,
        error: { status: 401, message: 'This link is not valid; ask the bot for a fresh link.' },
      });
    }
  });

  it('GIVEN a bearer token THEN its API_TOKENS name, before any cookie; an unknown or malformed one THEN 401', () => {
    const withSession = { cookie: cookie({ cl_session: session() }) };
    expect(auth.authenticate(request({ ...withSession, authorization: 'Bearer ci-token-value' }))).toEqual({
      ok: true,
      value: { actor: { owner: 'api:ci', isAdmin: false }, via: 'bearer', apiName: 'ci' },
    });
    expect(auth.authenticate(request({ ...withSession, authorization: 'Bearer other' }))).toEqual({
      ok: false,
      error: { status: 401, message: 'That API token is not one of API_TOKENS.' },
    });
    expect(auth.authenticate(request({ ...withSession, authorization: 'Basic Y2k6eA==' }))).toEqual({
      ok: false,
      error: { status: 401, message: 'The Authorization header must be "Bearer <token>".' },
    });
  });

  it('GIVEN the lease cookie of its scope on its lease page THEN by link; a stale one or another lease page THEN the session decides', () => {
    const lease = sign({ scope: 'logs' });
    expect(auth.authenticate(request({ leaseId: 'lease1', cookie: cookie({ cl_lease: lease }) }))).toEqual({
      ok: true,
      value: { actor: { owner, isAdmin: false }, via: 'link', linkLeaseId: 'lease1' },
    });
    expect(
      auth.authenticate(
        request({
          leaseId: 'lease1',
          linkScope: 'terminal',
          cookie: cookie({ cl_terminal: sign({ scope: 'terminal' }) }),
        }),
      ),
    ).toMatchObject({ ok: true, value: { via: 'link' } });
    const stale = cookie({ cl_lease: sign({ scope: 'logs', exp: now }), cl_session: session() });
    expect(auth.authenticate(request({ leaseId: 'lease1', cookie: stale }))).toMatchObject({
      ok: true,
      value: { via: 'session' },
    });
    expect(auth.authenticate(request({ cookie: cookie({ cl_lease: lease }) }))).toMatchObject({
      ok: false,
      error: { status: 401 },
    });
    expect(
      auth.authenticate(
        request({ leaseId: 'lease1', linkScope: 'terminal', cookie: cookie({ cl_lease: lease }) }),
      ),
    ).toMatchObject({
      ok: false,
      error: { status: 401 },
    });
  });

  it('GIVEN a session cookie that expired or is not a session THEN refused with the session named', () => {
    expect(auth.authenticate(request({ cookie: cookie({ cl_session: session(owner, now) }) }))).toEqual({
      ok: false,
      error: { status: 401, message: 'Your session has expired; ask the bot for a fresh link.' },
    });
    expect(auth.authenticate(request({ cookie: cookie({ cl_session: sign({ scope: 'logs' }) }) }))).toEqual({
      ok: false,
      error: { status: 403, message: 'Your session is for something else; ask the bot for the right link.' },
    });
  });

  it('GIVEN the session or link of an api: owner whose token was removed THEN 401 naming it; while it is there THEN accepted', () => {
    expect(auth.authenticate(request({ cookie: cookie({ cl_session: session('api:gone') }) }))).toEqual({
      ok: false,
      error: { status: 401, message: 'Your session belongs to api:gone, whose API token was removed.' },
    });
    expect(auth.authenticate(request({ cookie: cookie({ cl_session: session('api:ci') }) }))).toMatchObject({
      ok: true,
      value: { actor: { owner: 'api:ci' }, via: 'session' },
    });
    expect(
      auth.verifyLink(sign({ scope: 'port', owner: 'api:gone', port: 80 }), 'port', 'lease1', 80),
    ).toEqual({
      ok: false,
      error: { status: 401, message: 'This link belongs to api:gone, whose API token was removed.' },
    });
  });

  it('GIVEN credentials whose owner is no valid owner THEN 401, not an error', () => {
    expect(auth.authenticate(request({ cookie: cookie({ cl_session: session('bad:x') }) }))).toEqual({
      ok: false,
      error: { status: 401, message: 'These credentials name no valid owner.' },
    });
  });

  it('GIVEN a port link THEN verifyLink accepts it for its lease and port, and names what is wrong otherwise', () => {
    const port = sign({ scope: 'port', port: 8080 });
    expect(auth.verifyLink(port, 'port', 'lease1', 8080)).toEqual({
      ok: true,
      value: { leaseId: 'lease1', owner, scope: 'port', exp: now + 60_000, port: 8080 },
    });
    expect(auth.verifyLink(port, 'port', 'lease1', 8081)).toMatchObject({
      ok: false,
      error: { status: 403 },
    });
    expect(auth.verifyLink(port, 'port', 'lease2', 8080)).toMatchObject({
      ok: false,
      error: { status: 403 },
    });
    expect(auth.verifyLink(port, 'session')).toMatchObject({ ok: false, error: { status: 403 } });
  });
});
