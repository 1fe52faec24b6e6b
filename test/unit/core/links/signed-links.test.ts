import { describe, expect, it } from 'vitest';
import { LinkTokens } from '../../../../src/core/links/link-tokens.js';
import { PORT_LINK_PARAM } from '../../../../src/core/links/port-urls.js';
import {
  LOGS_LINK_GRACE_MS,
  SESSION_LINK_TTL_MS,
  SignedLinks,
} from '../../../../src/core/links/signed-links.js';

const signedAt = 1_800_000_000_000;
const secret = 's'.repeat(32);
/** An id that must be escaped in a path, so the pages' links are seen to escape it. */
const lease = { id: 'a b/c', owner: 'slack:T1:U1', hardCapAt: signedAt + 3_600_000 };
/** Lease ids as the product makes them, for the port proxy's paths and host names. */
const portLease = { ...lease, id: 'abcdefghjk' };
const links = new SignedLinks(
  new LinkTokens(secret, () => signedAt),
  'https://lease.example',
  () => signedAt,
  {
    url: 'https://ports.example',
  },
);

/** Verifies a link's token as the web server would, with its clock at `at`. */
function verifyAt(at: number, token: string, expected: Parameters<LinkTokens['verify']>[1]) {
  return new LinkTokens(secret, () => at).verify(token, expected);
}

function tokenOf(url: string, param = 'token'): string {
  const token = new URL(url).searchParams.get(param);
  if (token === null) throw new Error(`no ${param} in ${url}`);
  return token;
}

describe('signed links', () => {
  it('GIVEN a lease WHEN its logs link is made THEN it opens that lease logs page and works until a day after the hard cap', () => {
    const url = links.logsUrl(lease);
    expect(url.startsWith('https://lease.example/logs/a%20b%2Fc?token=')).toBe(true);
    const token = tokenOf(url);
    const expected = { scope: 'logs' as const, leaseId: lease.id };
    expect(verifyAt(lease.hardCapAt + LOGS_LINK_GRACE_MS - 1, token, expected)).toEqual({
      ok: true,
      value: {
        leaseId: lease.id,
        owner: lease.owner,
        scope: 'logs',
        exp: lease.hardCapAt + LOGS_LINK_GRACE_MS,
      },
    });
    expect(verifyAt(lease.hardCapAt + LOGS_LINK_GRACE_MS, token, expected)).toEqual({
      ok: false,
      error: 'expired',
    });
    expect(LOGS_LINK_GRACE_MS).toBe(24 * 3_600_000);
  });

  it('GIVEN a lease WHEN its terminal link is made THEN it opens that lease terminal page until the hard cap, and nothing else', () => {
    const url = links.terminalUrl(lease);
    expect(url.startsWith('https://lease.example/terminal/a%20b%2Fc?token=')).toBe(true);
    const token = tokenOf(url);
    const expected = { scope: 'terminal' as const, leaseId: lease.id };
    expect(verifyAt(lease.hardCapAt - 1, token, expected)).toEqual({
      ok: true,
      value: { leaseId: lease.id, owner: lease.owner, scope: 'terminal', exp: lease.hardCapAt },
    });
    expect(verifyAt(lease.hardCapAt, token, expected)).toEqual({ ok: false, error: 'expired' });
    expect(verifyAt(signedAt, token, { scope: 'logs', leaseId: lease.id })).toEqual({
      ok: false,
      error: 'wrong_scope',
    });
  });

  it('GIVEN a lease WHEN a port link is made THEN it opens that port under the proxy until the hard cap, and says when it ends', () => {
    const link = links.portLink(portLease, 8080);
    expect(link.expiresAt).toBe(lease.hardCapAt);
    expect(link.url.startsWith(`https://ports.example/abcdefghjk/8080/?${PORT_LINK_PARAM}=`)).toBe(true);
    const token = tokenOf(link.url, PORT_LINK_PARAM);
    expect(
      verifyAt(lease.hardCapAt - 1, token, { scope: 'port', leaseId: portLease.id, port: 8080 }),
    ).toEqual({
      ok: true,
      value: { leaseId: portLease.id, owner: lease.owner, scope: 'port', exp: lease.hardCapAt, port: 8080 },
    });
    expect(verifyAt(lease.hardCapAt, token, { scope: 'port', leaseId: portLease.id, port: 8080 })).toEqual({
      ok: false,
      error: 'expired',
    });
    expect(verifyAt(signedAt, token, { scope: 'port', leaseId: portLease.id, port: 8081 })).toEqual({
      ok: false,
      error: 'wrong_port',
    });
  });

  it('GIVEN PORTS_DOMAIN WHEN a port link is made THEN the port is a host of its own, keeping the port of PORTS_URL', () => {
    const withDomain = (url: string) =>
      new SignedLinks(new LinkTokens(secret, () => signedAt), 'https://lease.example', () => signedAt, {
        url,
        domain: 'apps.example',
      });
    expect(withDomain('https://ports.example').portLink(portLease, 3000).url).toMatch(
      new RegExp(`^https://abcdefghjk-3000\\.apps\\.example/\\?${PORT_LINK_PARAM}=v1\\.`),
    );
    expect(withDomain('http://ports.example:8443').portLink(portLease, 3000).url).toMatch(
      new RegExp(`^http://abcdefghjk-3000\\.apps\\.example:8443/\\?${PORT_LINK_PARAM}=v1\\.`),
    );
  });

  it('GIVEN an owner WHEN a dashboard link is made THEN it signs that owner in for a week from now, for every lease', () => {
    const url = links.dashboardUrl('discord:G1:U2');
    expect(url.startsWith('https://lease.example/?token=')).toBe(true);
    const token = tokenOf(url);
    const exp = signedAt + SESSION_LINK_TTL_MS;
    expect(verifyAt(exp - 1, token, { scope: 'session' })).toEqual({
      ok: true,
      value: { leaseId: '*', owner: 'discord:G1:U2', scope: 'session', exp },
    });
    expect(verifyAt(exp, token, { scope: 'session' })).toEqual({ ok: false, error: 'expired' });
    expect(SESSION_LINK_TTL_MS).toBe(7 * 24 * 3_600_000);
  });

  it('GIVEN servers that learn their addresses only once they listen THEN each link is made with the address they have then', () => {
    let publicUrl = 'http://127.0.0.1:1';
    let portsUrl = 'http://127.0.0.1:2';
    const late = new SignedLinks(
      new LinkTokens(secret, () => signedAt),
      () => publicUrl,
      () => signedAt,
      () => ({ url: portsUrl }),
    );
    publicUrl = 'http://127.0.0.1:40001';
    portsUrl = 'http://127.0.0.1:40002';
    expect(late.logsUrl(lease).startsWith('http://127.0.0.1:40001/logs/')).toBe(true);
    expect(late.terminalUrl(lease).startsWith('http://127.0.0.1:40001/terminal/')).toBe(true);
    expect(late.dashboardUrl('api:ci').startsWith('http://127.0.0.1:40001/?token=')).toBe(true);
    expect(late.portLink(portLease, 80).url.startsWith('http://127.0.0.1:40002/abcdefghjk/80/?')).toBe(true);
  });
});
