import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * helmet with a content security policy the page passes: scripts only from our origin (the page has
 * no inline script), connections to our origin and its WebSocket twin, nothing framed or framing.
 * Styles allow 'unsafe-inline' because xterm.js's DOM renderer injects its theme as a <style>
 * element and 24-bit colours as style attributes; CSS cannot run script, which is what the policy
 * is for. No Referer ever leaves the page (it could carry a lease URL).
 */
export function securityHeaders(publicUrl: string): RequestHandler {
  const url = new URL(publicUrl);
  const https = url.protocol === 'https:';
  const socketOrigin = `${https ? 'wss' : 'ws'}://${url.host}`;
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'", socketOrigin],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: https ? { maxAge: 15_552_000 } : false,
  });
}
