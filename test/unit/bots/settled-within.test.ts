import { describe, expect, it } from 'vitest';
import { settledWithin } from '../../../src/bots/settled-within.js';

describe('settledWithin: answer in the ack when the work is quick', () => {
  it('GIVEN work that settles in time THEN its value', async () => {
    await expect(settledWithin(Promise.resolve('reply'), 1_000)).resolves.toBe('reply');
  });

  it('GIVEN work that does not settle in time THEN undefined, and the work goes on', async () => {
    let finish = (_value: string) => {};
    const work = new Promise<string>((resolve) => {
      finish = resolve;
    });
    await expect(settledWithin(work, 5)).resolves.toBeUndefined();
    finish('late reply');
    await expect(work).resolves.toBe('late reply');
  });
});
