/**
 * A link token wherever it appears (`v1.<base64url JSON>.<signature>`, see link-tokens.ts), also
 * inside an encoded URL, and the value of any `token=` of a URL.
 */
const SECRETS = /v1\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{16,}|(?<=[?&]token=)[^&#\s"'<>]+/g;
const REDACTED = '[redacted]';
/** Log fields nest a few levels at most; deeper values are left as they are. */
const MAX_DEPTH = 8;

/** The text with every link token replaced, so what it describes cannot be opened from it. */
export function redactLinkTokens(text: string): string {
  return text.replace(SECRETS, REDACTED);
}

/**
 * A copy of log fields with link tokens removed from every string, at any depth: a signed URL in
 * a log is a working credential for whoever reads the log (whatever wrote it: our code, Bolt's
 * Web API client at debug level, an error message).
 */
export function redactLinkTokensIn(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactLinkTokens(value);
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (value instanceof Error) {
    return {
      type: value.name,
      message: redactLinkTokens(value.message),
      stack: redactLinkTokens(value.stack ?? ''),
    };
  }
  if (Array.isArray(value)) return value.map((item) => redactLinkTokensIn(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, redactLinkTokensIn(item, depth + 1)]),
  );
}
