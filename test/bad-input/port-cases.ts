import { LinkTokens } from '../../src/core/links/link-tokens.js';

/** One request to the port proxy that must be refused with `status`, and never reach an app. */
export interface PortCase {
  readonly name: string;
  readonly kind: 'http' | 'upgrade';
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly status: number;
}

export interface PortCaseSetup {
  readonly secret: string;
  /** The proxy's origin, as a browser would send it. */
  readonly origin: string;
  /** PORTS_DOMAIN the product runs with. */
  readonly domain: string;
  /** A running lease of `owner`, and an id no lease has. */
  readonly leaseId: string;
  readonly otherLeaseId: string;
  /** A lease of `owner` that has ended. */
  readonly endedLeaseId: string;
  readonly owner: string;
}

/**
 * The proxy's surfaces, abused: addresses that name no lease or port, hosts of PORTS_DOMAIN that
 * name garbage, link tokens and cookies forged, stale, of another scope, lease, port or owner, our
 * other credentials (a session, an API token) that grant no port, bodies too large, and the same
 * on WebSocket upgrades. Each is a clear 4xx; nothing reaches the lease's container.
 */
export function badPortRequests(setup: PortCaseSetup): PortCase[] {
  const { leaseId, otherLeaseId, endedLeaseId, owner, domain } = setup;
  const tokens = new LinkTokens(setup.secret, Date.now);
  const exp = Date.now() + 3_600_000;
  const port = (claims: { leaseId?: string; owner?: string; port?: number; exp?: number }) =>
    tokens.sign({ leaseId, owner, scope: 'port', exp, port: 8000, ...claims });
  const valid = port({});
  const cookie = (token: string) => ({ cookie: `cl_port=${token}` });
  const forged = `${valid.slice(0, -4)}AAAA`;
  const cases: PortCase[] = [];
  const http = (
    name: string,
    path: string,
    headers: Record<string, string>,
    status: number,
    method = 'GET',
  ) => cases.push({ name, kind: 'http', method, path, headers, status });
  const upgrade = (name: string, path: string, headers: Record<string, string>, status: number) =>
    cases.push({ name, kind: 'upgrade', method: 'GET', path, headers, status });

  // Addresses.
  for (const [name, path, status] of [
    ['the root', '/', 404],
    ['one segment', `/${leaseId}`, 404],
    ['port 0', `/${leaseId}/0/`, 400],
    ['port 65536', `/${leaseId}/65536/`, 400],
    ['a port of twenty digits', `/${leaseId}/${'9'.repeat(20)}/`, 400],
    ['a negative port', `/${leaseId}/-80/`, 400],
    ['a fractional port', `/${leaseId}/80.5/`, 400],
    ['a hexadecimal port', `/${leaseId}/0x50/`, 400],
    ['a percent-encoded port', `/${leaseId}/%38%30/`, 400],
    ['a port with a space', `/${leaseId}/80%20/`, 400],
    ['a NUL for a lease', '/%00/80/', 400],
    ['a lease id too short', '/abc/80/', 400],
    ['a lease id of look-alike letters', '/iiiiiiiiii/80/', 400],
    ['a climb out of the prefix', `/${leaseId}/8000/../../../etc/passwd`, 400],
    ['an encoded climb', `/${leaseId}/8000/%2e%2e/%2e%2e/x/80/`, 400],
    ['a long path', `/${'a'.repeat(4000)}/80/`, 400],
    ['an unknown lease with this lease’s cookie', `/${otherLeaseId}/8000/`, 403],
  ] as const)
    http(name, path, cookie(valid), status);

  // Hosts of PORTS_DOMAIN.
  for (const [name, host, status] of [
    ['port 0 in the host', `${leaseId}-0.${domain}`, 400],
    ['a word for a port in the host', `${leaseId}-http.${domain}`, 400],
    ['a port too large in the host', `${leaseId}-70000.${domain}`, 400],
    ['not a lease in the host', `nolease-80.${domain}`, 400],
    ['no port in the host', `${leaseId}.${domain}`, 400],
    ['a deeper host', `x.${leaseId}-8000.${domain}`, 400],
    ['the right host and another port', `${leaseId}-8001.${domain}`, 403],
    ['the right host and no cookie', `${leaseId}-8000.${domain}`, 401],
  ] as const)
    http(name, '/', status === 401 ? { host } : { host, ...cookie(valid) }, status);

  // Credentials.
  const path = `/${leaseId}/8000/`;
  for (const [name, headers, status] of [
    ['no cookie', {}, 401],
    ['a forged cookie', cookie(forged), 401],
    ['a stale cookie', cookie(port({ exp: Date.now() - 1000 })), 401],
    ['a cookie of another port', cookie(port({ port: 8001 })), 403],
    ['a cookie without a port', cookie(tokens.sign({ leaseId, owner, scope: 'port', exp })), 403],
    ['a cookie of another lease', cookie(port({ leaseId: otherLeaseId })), 403],
    ['a cookie signed for another owner', cookie(port({ owner: 'local:someone-else' })), 403],
    ['a cookie of an owner whose API token was removed', cookie(port({ owner: 'api:removed' })), 401],
    ['a cookie of no valid owner', cookie(port({ owner: 'nobody' })), 403],
    ['a logs link as the cookie', cookie(tokens.sign({ leaseId, owner, scope: 'logs', exp })), 403],
    ['a session as the cookie', cookie(tokens.sign({ leaseId: '*', owner, scope: 'session', exp })), 403],
    [
      'only a session cookie',
      { cookie: `cl_session=${tokens.sign({ leaseId: '*', owner, scope: 'session', exp })}` },
      401,
    ],
    ['an API token', { authorization: 'Bearer bad-input-token-0123456789' }, 401],
    ['5 KiB of cookie', cookie('v1.'.padEnd(5000, 'x')), 401],
    ['a cookie badly percent-encoded', { cookie: 'cl_port=%E0%A4%A' }, 401],
    ['a cookie of the ended lease', cookie(port({ leaseId: endedLeaseId })), 403],
  ] as const)
    http(name, path, headers, status);
  http(
    'the ended lease with its cookie',
    `/${endedLeaseId}/8000/`,
    cookie(port({ leaseId: endedLeaseId })),
    410,
  );
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])
    http(`${method} without a cookie`, path, {}, 401, method);
  http(
    'a body over the limit',
    path,
    { ...cookie(valid), 'content-length': String(64 * 1024 ** 2) },
    413,
    'POST',
  );

  // Link tokens in the URL.
  for (const [name, query, status] of [
    ['an empty link token', '?cl_token=', 401],
    ['a garbage link token', '?cl_token=garbage', 401],
    ['a forged link token', `?cl_token=${forged}`, 401],
    ['a stale link token', `?cl_token=${port({ exp: Date.now() - 1000 })}`, 401],
    ['a link token of another port', `?cl_token=${port({ port: 9000 })}`, 403],
    ['a link token of another lease', `?cl_token=${port({ leaseId: otherLeaseId })}`, 403],
    ['a logs link token', `?cl_token=${tokens.sign({ leaseId, owner, scope: 'logs', exp })}`, 403],
    ['two link tokens, the first forged', `?cl_token=${forged}&cl_token=${valid}`, 401],
  ] as const)
    http(name, `${path}${query}`, {}, status);

  // WebSocket upgrades, each checked as a request is.
  for (const [name, upgradePath, headers, status] of [
    ['a socket without a cookie', path, {}, 401],
    ['a socket with a forged cookie', path, cookie(forged), 401],
    ['a socket with a stale cookie', path, cookie(port({ exp: Date.now() - 1000 })), 401],
    ['a socket with another lease’s cookie', `/${otherLeaseId}/8000/`, cookie(valid), 403],
    ['a socket to another port', `/${leaseId}/9000/`, cookie(valid), 403],
    ['a socket carrying a link token', `${path}?cl_token=${valid}`, {}, 400],
    ['a socket from another Origin', path, { ...cookie(valid), origin: 'https://evil.example' }, 403],
    ['a socket from a null Origin', path, { ...cookie(valid), origin: 'null' }, 403],
    ['a socket to port 0', `/${leaseId}/0/`, cookie(valid), 400],
    ['a socket to the root', '/', {}, 404],
    ['a socket to the ended lease', `/${endedLeaseId}/8000/`, cookie(port({ leaseId: endedLeaseId })), 410],
  ] as const)
    upgrade(name, upgradePath, headers, status);
  return cases;
}
