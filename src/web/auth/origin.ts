/** The one origin browsers may call from (PUBLIC_URL's), for CSRF and WebSocket Origin checks. */
export function originOf(publicUrl: string): string {
  return new URL(publicUrl).origin;
}

/**
 * A WebSocket upgrade passes when it names our origin, or names none: browsers always send
 * `Origin` on WebSocket handshakes, so its absence means a script or CLI client, which has to
 * present a token or cookie anyway and cannot be driven by another site.
 */
export function originAllowed(origin: string | undefined, allowedOrigin: string): boolean {
  return origin === undefined || origin === allowedOrigin;
}
