import { describe, expect, it } from 'vitest';
import { InFlight } from '../../../src/bots/in-flight.js';
import { settledWithin } from '../../../src/bots/settled-within.js';

describe('settledWithin and InFlight: answer in the ack when quick, let slow work finish', () => {
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

  it('GIVEN tracked work THEN settle() waits for it, and forgets it once done', async () => {
    const inFlight = new InFlight();
    const done: string[] = [];
    inFlight.track(new Promise((resolve) => setTimeout(resolve, 20)).then(() => done.push('follow-up sent')));
    expect(inFlight.size).toBe(1);
    await inFlight.settle(10_000);
    expect(done).toEqual(['follow-up sent']);
    expect(inFlight.size).toBe(0);
  });

  it('GIVEN tracked work that never ends THEN settle() gives up after its timeout', async () => {
    const inFlight = new InFlight();
    inFlight.track(new Promise(() => {}));
    await inFlight.settle(5);
    expect(inFlight.size).toBe(1);
  });
});
