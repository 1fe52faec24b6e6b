import type { CookieOptions, Response } from 'express';
import type { LeaseLinkScope } from '../../core/links/link-tokens.js';

/** The owner's session: a session-scoped link token. Path `/`. */
export const SESSION_COOKIE = 'cl_session';
/**
 * One lease's logs link token, on path `/logs/<id>` only. It proves the bearer was sent that
 * lease's link, which is how its final logs stay readable after the lease record is gone.
 */
export const LEASE_COOKIE = 'cl_lease';
/** One lease's terminal link token, on path `/terminal/<id>` only: that terminal's page and socket. */
export const TERMINAL_COOKIE = 'cl_terminal';

/** The cookie that carries a lease link of each scope, set on that scope's path (`/<scope>/<id>`). */
export const LINK_COOKIES: Readonly<Record<LeaseLinkScope, string>> = {
  logs: LEASE_COOKIE,
  terminal: TERMINAL_COOKIE,
};

/** The cookies of a request; a malformed pair is skipped, the first of duplicate names wins (most specific path). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const pair of header.split(';').map((part) => part.trim())) {
    const index = pair.indexOf('=');
    if (index <= 0) continue;
    const name = pair.slice(0, index).trim();
    if (cookies.has(name)) continue;
    try {
      cookies.set(name, decodeURIComponent(pair.slice(index + 1).trim()));
    } catch {
      // Not percent-encoded as we write it: not ours.
    }
  }
  return cookies;
}

/**
 * HttpOnly (scripts never see it), Secure when served over https, and SameSite=Lax: a link
 * clicked in Slack or Discord is a navigation that starts on another site, and with Strict the
 * browser would withhold the cookie on the very redirect that follows, so the page would first
 * look signed out. Lax sends it on top-level GET navigations only; everything that changes state
 * also needs the CSRF header (see csrf.ts).
 */
export function cookieOptions(secure: boolean, path: string, expiresAt: number, now: number): CookieOptions {
  return {
    httpOnly: true,
    secure,
    sameSite: 'lax',
    path,
    maxAge: Math.max(0, expiresAt - now),
  };
}

export function setCookie(
  res: Response,
  name: string,
  value: string,
  options: { secure: boolean; path: string; expiresAt: number; now: number },
): void {
  res.cookie(name, value, cookieOptions(options.secure, options.path, options.expiresAt, options.now));
}
