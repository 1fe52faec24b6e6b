import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The one way tests wait for something to happen: polls `probe` every tenth of a second until it
 * returns something truthy, and returns that; fails naming `what` after `timeoutMs` (a hang guard,
 * not a speed check).
 */
export async function eventually<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
