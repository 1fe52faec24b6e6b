/** The credentials part of a URL (`redis://user:password@host`): scheme, then userinfo, then `@`. */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"']*@/gi;

/** The text with the credentials of every URL in it replaced by `***`, so REDIS_URL's password is never shown. */
export function redactCredentials(text: string): string {
  return text.replace(USERINFO, '$1***@');
}

/** The same for every string inside plain objects and arrays, for log lines; other values are kept as they are. */
export function withoutCredentials(value: unknown): unknown {
  if (typeof value === 'string') return redactCredentials(value);
  if (Array.isArray(value)) return value.map(withoutCredentials);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutCredentials(item)]));
  }
  if (value instanceof Error)
    return Object.assign(new Error(redactCredentials(value.message)), { name: value.name });
  return value;
}
