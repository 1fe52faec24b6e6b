/** The credentials part of a URL (`redis://user:password@host`): scheme, then userinfo, then `@`. */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"']*@/gi;
/** Log fields nest a few levels at most; deeper values are left as they are. */
const MAX_DEPTH = 8;

/** The text with the credentials of every URL in it replaced by `***`, so REDIS_URL's password is never shown. */
export function redactCredentials(text: string): string {
  return text.replace(USERINFO, '$1***@');
}

/**
 * A copy of log fields with `redact` applied to every string at any depth, in arrays, objects and
 * errors (an error becomes its name, message and stack), so a secret is gone whatever wrote it.
 */
export function redactIn(value: unknown, redact: (text: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (value instanceof Error) {
    return { type: value.name, message: redact(value.message), stack: redact(value.stack ?? '') };
  }
  if (Array.isArray(value)) return value.map((item) => redactIn(item, redact, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, redactIn(item, redact, depth + 1)]),
  );
}
