import { describe, expect, it } from 'vitest';
import { retry } from '../../../../src/core/services/retry.js';

/** A retry whose waits are recorded instead of slept, with the jitter fixed at `jitter`. */
function recordedRetry(jitter: number) {
  const waits: number[] = [];
  const options = {
    wait: async (ms: number) => {
      waits.push(ms);
    },
    random: () => jitter,
  };
  return { waits, options };
}

/** An operation that fails its first `failures` calls, then returns the attempt it succeeded on. */
function failing(failures: number) {
  return async (attempt: number) => {
    if (attempt <= failures) throw new Error(`failure ${attempt} (injected)`);
    return attempt;
  };
}

describe('retry: exponential backoff with jitter', () => {
  it('GIVEN an operation that always fails THEN 3 tries, waiting 250 ms then 500 ms (no jitter), and the last error', async () => {
    const { waits, options } = recordedRetry(0);
    const outcome = await retry(failing(Number.POSITIVE_INFINITY), options);
    expect(outcome).toMatchObject({ ok: false, attempts: 3, error: new Error('failure 3 (injected)') });
    expect(waits).toEqual([250, 500]);
  });

  it('GIVEN jitter THEN each wait grows by up to half: 0.5 adds a quarter, 0.75 three eighths', async () => {
    const half = recordedRetry(0.5);
    await retry(failing(Number.POSITIVE_INFINITY), { ...half.options, attempts: 4, baseDelayMs: 100 });
    expect(half.waits).toEqual([125, 250, 500]);
    const more = recordedRetry(0.75);
    await retry(failing(Number.POSITIVE_INFINITY), { ...more.options, baseDelayMs: 100 });
    expect(more.waits).toEqual([137.5, 275]);
  });

  it('GIVEN an operation that fails once THEN one wait, the value, and attempts 2', async () => {
    const { waits, options } = recordedRetry(0);
    expect(await retry(failing(1), options)).toEqual({ ok: true, value: 2, attempts: 2 });
    expect(waits).toEqual([250]);
  });

  it('GIVEN an operation that succeeds at once THEN no wait at all', async () => {
    const { waits, options } = recordedRetry(0);
    expect(await retry(failing(0), options)).toEqual({ ok: true, value: 1, attempts: 1 });
    expect(waits).toEqual([]);
  });
});
