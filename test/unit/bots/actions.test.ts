import { describe, expect, it } from 'vitest';
import { decodeAction, encodeAction } from '../../../src/bots/actions.js';

describe('button action ids', () => {
  it('GIVEN an extend or stop button THEN its id decodes to the same command', () => {
    const extend = encodeAction({ kind: 'extend', leaseId: '7k2m9x4qpz', minutes: 30, label: '+30' });
    expect(extend).toBe('lease:extend:7k2m9x4qpz:30');
    expect(decodeAction(extend)).toEqual({
      ok: true,
      value: { kind: 'extend', id: '7k2m9x4qpz', minutes: 30 },
    });
    const stop = encodeAction({
      kind: 'stop',
      leaseId: '7k2m9x4qpz',
      label: 'Stop',
      confirm: { title: '', text: '', confirm: '', deny: '' },
    });
    expect(decodeAction(stop)).toEqual({ ok: true, value: { kind: 'stop', id: '7k2m9x4qpz' } });
  });

  it.each([
    '',
    'lease',
    'lease:stop',
    'lease:stop:x:y',
    'lease:extend:x',
    'lease:extend:x:lots',
    'other:stop:x',
    'lease:provision:x',
  ])('GIVEN the id "%s" THEN it is refused, not thrown', (id) => {
    expect(decodeAction(id).ok).toBe(false);
  });
});
