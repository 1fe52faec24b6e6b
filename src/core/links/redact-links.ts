/**
 * A link token wherever it appears (`v1.<base64url JSON>.<signature>`, see link-tokens.ts), also
 * inside an encoded URL, and the value of any `token=` of a URL.
 */
const SECRETS = /v1\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{16,}|(?<=[?&]token=)[^&#\s"'<>]+/g;
const REDACTED = '[redacted]';

/**
 * The text with every link token replaced, so what it describes cannot be opened from it: a signed
 * URL in a log is a working credential for whoever reads the log (see main.ts's log hook).
 */
export function redactLinkTokens(text: string): string {
  return text.replace(SECRETS, REDACTED);
}
