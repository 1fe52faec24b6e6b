import { parseCookies } from '../auth/cookies.js';
import type { PortAddress } from './port-address.js';

/**
 * The cookie that a port link becomes: its token, HttpOnly, on the app's own path (`/<id>/<port>/`)
 * or, on a host of PORTS_DOMAIN, on that host alone, so it is sent for that lease's port and no
 * other. SameSite=Lax, as the web server's cookies, since the link is clicked in a chat app.
 */
export const PORT_COOKIE = 'cl_port';

export function portCookie(token: string, address: PortAddress, expiresAt: number, now: number): string {
  const secure = address.publicBase.startsWith('https:');
  const maxAge = Math.max(0, Math.floor((expiresAt - now) / 1000));
  const parts = [
    `${PORT_COOKIE}=${encodeURIComponent(token)}`,
    `Path=${address.prefix}/`,
    `Max-Age=${maxAge}`,
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

/** The port cookie a request carries, if any. */
export function portCookieOf(cookieHeader: string | undefined): string | undefined {
  return parseCookies(cookieHeader).get(PORT_COOKIE);
}
