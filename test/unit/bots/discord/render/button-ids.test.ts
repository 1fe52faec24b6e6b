import { describe, expect, it } from 'vitest';
import { readButton, stopQuestion } from '../../../../../src/bots/discord/render/button-ids.js';

describe('readButton: what a pressed button asks for', () => {
  it('GIVEN the shared Stop id THEN a question first, since Discord has no confirm dialog', () => {
    expect(readButton('lease:stop:7k2m9x4qpz')).toEqual({ kind: 'ask-stop', leaseId: '7k2m9x4qpz' });
  });

  it('GIVEN the question buttons THEN "Stop it" runs the stop and "Keep it" does nothing', () => {
    const [row] = stopQuestion('7k2m9x4qpz').components;
    const [stopIt, keepIt] = (row?.components ?? []).map((button) =>
      'custom_id' in button ? button.custom_id : '',
    );
    expect(readButton(stopIt ?? '')).toEqual({ kind: 'run', command: { kind: 'stop', id: '7k2m9x4qpz' } });
    expect(readButton(keepIt ?? '')).toEqual({ kind: 'keep', leaseId: '7k2m9x4qpz' });
    expect((stopIt ?? '').length).toBeLessThanOrEqual(100);
  });

  it('GIVEN Extend +30 THEN the extend command', () => {
    expect(readButton('lease:extend:7k2m9x4qpz:30')).toEqual({
      kind: 'run',
      command: { kind: 'extend', id: '7k2m9x4qpz', minutes: 30 },
    });
  });

  it.each(['', 'other:thing', 'lease:stop-confirm:', 'lease:extend:7k2m9x4qpz:lots'])(
    'GIVEN the id "%s" THEN invalid, answered like a mistyped command',
    (customId) => {
      expect(readButton(customId).kind).toBe('invalid');
    },
  );

  it('GIVEN the stop question THEN it repeats the shared confirm wording', () => {
    expect(stopQuestion('7k2m9x4qpz').content).toBe(
      'Stop lease `7k2m9x4qpz`? The container and everything in it will be removed.',
    );
  });
});
