import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { PortAddress } from './port-address.js';

/** Every cookie of ours starts so (the session, lease links, the port cookie); an app's never reach it. */
const OUR_COOKIE = /^cl_/i;

/**
 * Makes a request fit to hand to a lease's app: our credentials out (the port cookie, the session
 * and lease cookies that the browser sends to every port of the host, any Authorization), the
 * `X-Forwarded-*` headers in, and the path as the app serves it.
 */
export function prepareUpstreamRequest(req: IncomingMessage, address: PortAddress): void {
  const { headers } = req;
  delete headers.authorization;
  delete headers['proxy-authorization'];
  const cookie = withoutOurCookies(headers.cookie);
  if (cookie) headers.cookie = cookie;
  else delete headers.cookie;
  const base = new URL(address.publicBase);
  const client = req.socket.remoteAddress ?? '';
  const before = headers['x-forwarded-for'];
  headers['x-forwarded-for'] = before ? `${before}, ${client}` : client;
  headers['x-forwarded-host'] = base.host;
  headers['x-forwarded-proto'] = base.protocol.slice(0, -1);
  headers['x-forwarded-port'] = base.port || (base.protocol === 'https:' ? '443' : '80');
  if (address.prefix) headers['x-forwarded-prefix'] = address.prefix;
  else delete headers['x-forwarded-prefix'];
  req.url = address.upstreamPath;
}

function withoutOurCookies(header: string | undefined): string {
  if (!header) return '';
  return header
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair && !OUR_COOKIE.test(pair.split('=', 1)[0]?.trim() ?? ''))
    .join('; ');
}

/**
 * Makes the app's answer fit for the browser: a `Location` that points at the app (its own address,
 * or a path from its root) points at the app's public root instead, and cookies stay the app's
 * alone: none named like ours, none for a wider `Domain`, and in the path form each under the
 * app's `/<id>/<port>` so the apps of other leases on the same host never receive them.
 */
export function rewriteResponseHeaders(
  headers: IncomingHttpHeaders,
  address: PortAddress,
  upstreamOrigin: string,
): void {
  const location = headers.location;
  if (location) headers.location = rewriteLocation(location, address, upstreamOrigin);
  const cookies = headers['set-cookie'];
  if (cookies) {
    const kept = cookies.flatMap((cookie) => rewriteSetCookie(cookie, address.prefix) ?? []);
    if (kept.length > 0) headers['set-cookie'] = kept;
    else delete headers['set-cookie'];
  }
}

export function rewriteLocation(location: string, address: PortAddress, upstreamOrigin: string): string {
  const publicOrigin = new URL(address.publicBase).origin;
  const absolute = /^[a-z][a-z0-9+.-]*:/i.test(location) || location.startsWith('//');
  if (!absolute && !location.startsWith('/')) return location;
  let target: URL;
  try {
    target = new URL(location, `${upstreamOrigin}/`);
  } catch {
    return location;
  }
  if (absolute && target.origin !== upstreamOrigin && target.origin !== publicOrigin) return location;
  const path = `${target.pathname}${target.search}${target.hash}`;
  const { prefix } = address;
  const alreadyPrefixed = prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
  return `${publicOrigin}${alreadyPrefixed ? path : `${prefix}${path}`}`;
}

function rewriteSetCookie(cookie: string, prefix: string): string | undefined {
  const [pair = '', ...attributes] = cookie.split(';');
  if (OUR_COOKIE.test(pair.split('=', 1)[0]?.trim() ?? '')) return undefined;
  const kept = attributes
    .filter((attribute) => !/^\s*domain\s*=/i.test(attribute))
    .map((attribute) => {
      const path = /^\s*path\s*=\s*(.*)$/i.exec(attribute)?.[1]?.trim();
      if (path === undefined || prefix === '') return attribute;
      return ` Path=${prefix}${path.startsWith('/') ? path : '/'}`;
    });
  return [pair, ...kept].join(';');
}
