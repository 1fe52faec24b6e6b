import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startConsole } from '../../../../src/bots/console/console-frontend.js';
import type { LeaseView } from '../../../../src/core/domain/lease.js';
import { makeBotFixture } from '../../../support/bot-fixture.js';

/** A console on pipes as user `ada`, with what it printed so far. */
function start(fixture = makeBotFixture(), stillRunning: readonly LeaseView[] = []) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  const frontend = startConsole({
    input,
    output,
    ...fixture,
    user: 'ada',
    interactive: false,
    stillRunning: async () => stillRunning,
  });
  return { input, output, frontend, printed: () => printed };
}

/** A terminal that goes away fails reads (EIO) or writes (EPIPE), each reported as 'error'. */
describe('the console when its terminal is lost', () => {
  it.each(['input', 'output'] as const)(
    'GIVEN its %s fails THEN the console ends as if its input had ended',
    async (side) => {
      const console = start();
      console[side].emit('error', new Error(side === 'input' ? 'read EIO' : 'write EPIPE'));
      await expect(console.frontend.closed).resolves.toBeUndefined();
    },
  );
});

describe('the console as it quits', () => {
  it('GIVEN leases still running WHEN its input ends THEN it says how many and when each is removed', async () => {
    const fixture = makeBotFixture();
    const lease = await fixture.leases.provision(fixture.leases.actor('local:ada'), {
      imageType: 'busybox',
      minutes: 30,
      notify: { platform: 'local', user: 'ada' },
    });
    const console = start(fixture, [lease]);
    console.input.end();
    await console.frontend.closed;
    expect(console.printed()).toContain('! 1 lease is still running.');
    expect(console.printed()).toContain(`${lease.id} (busybox) expires`);
    expect(console.printed()).toContain('(in 30 min)');
    expect(console.printed()).toContain('npm run cleanup');
  });

  it('GIVEN no lease running WHEN its input ends THEN it quits without a word', async () => {
    const console = start();
    console.input.end();
    await console.frontend.closed;
    expect(console.printed()).toBe('');
  });
});
