import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startConsole } from '../../../src/bots/console/console-frontend.js';
import { makeBotFixture } from '../../support/bot-fixture.js';

/** A terminal that goes away fails reads (EIO) or writes (EPIPE), each reported as 'error'. */
describe('the console when its terminal is lost', () => {
  const start = () => {
    const fixture = makeBotFixture();
    const input = new PassThrough();
    const output = new PassThrough();
    const frontend = startConsole({ input, output, ...fixture, user: 'ada', interactive: false });
    return { input, output, frontend };
  };

  it.each(['input', 'output'] as const)(
    'GIVEN its %s fails THEN the console ends as if its input had ended',
    async (side) => {
      const console = start();
      console[side].emit(
        'error',
        Object.assign(new Error(side === 'input' ? 'read EIO' : 'write EPIPE'), {}),
      );
      await expect(console.frontend.closed).resolves.toBeUndefined();
    },
  );
});
