import { describe, expect, it } from 'vitest';
import { InFlight } from '../../../src/bots/in-flight.js';

describe('InFlight: let work still running after its ack finish when the bot stops', () => {
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
