import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryOptions {
  /** Tries in all, the first included. @defaultValue 3 */
  readonly attempts?: number;
  /** Wait before the second try; doubles each time, with up to 50% random jitter. @defaultValue 250 */
  readonly baseDelayMs?: number;
  /** How a wait between tries is spent; tests pass one that records the delays. @defaultValue a timer */
  readonly wait?: (ms: number) => Promise<unknown>;
  /** The jitter's source, a number in [0, 1). @defaultValue Math.random */
  readonly random?: () => number;
}

/** The outcome of a retried operation: its value, or the last error, and how many tries it took. */
export type Retried<T> =
  | { readonly ok: true; readonly value: T; readonly attempts: number }
  | { readonly ok: false; readonly error: unknown; readonly attempts: number };

/** Runs `operation` until it succeeds or the attempts run out, with exponential backoff and jitter. */
export async function retry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<Retried<T>> {
  const attempts = options.attempts ?? 3;
  const base = options.baseDelayMs ?? 250;
  const wait = options.wait ?? sleep;
  const random = options.random ?? Math.random;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      return { ok: true, value: await operation(attempt), attempts: attempt };
    } catch (error) {
      lastError = error;
      if (attempt < attempts) await wait(base * 2 ** (attempt - 1) * (1 + random() / 2));
    }
  }
  return { ok: false, error: lastError, attempts };
}
