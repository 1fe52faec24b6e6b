import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../../src/bots/grammar/parse-command.js';

describe('/lease exec <id> <command…> (alias run)', () => {
  it.each([
    ['/lease exec 7k2m9x4qpz uname -a', 'uname -a'],
    ['lease run 7K2M9X4QPZ ls', 'ls'],
    ['run 7k2m9x4qpz   echo  "a   b"  | wc -c  ', 'echo  "a   b"  | wc -c'],
    ["/lease exec 7k2m9x4qpz printf 'ünï\\t日本'", "printf 'ünï\\t日本'"],
    ['/lease exec 7k2m9x4qpz echo /lease exec x y', 'echo /lease exec x y'],
  ])('GIVEN %j THEN the command is kept as typed, spacing and quotes included', (text, command) => {
    expect(parseCommand(text)).toEqual({ ok: true, value: { kind: 'exec', id: '7k2m9x4qpz', command } });
  });

  it.each([
    ['/lease exec', { identifier: 'missing_argument', command: 'exec', argument: 'a lease id' }],
    [
      '/lease exec 7k2m9x4qpz',
      { identifier: 'missing_argument', command: 'exec', argument: 'a command to run, e.g. uname -a' },
    ],
    [
      '/lease run 7k2m9x4qpz    ',
      { identifier: 'missing_argument', command: 'exec', argument: 'a command to run, e.g. uname -a' },
    ],
    // The command goes to the shell as typed: words the raw text does not spell (folded from
    // full-width or control characters) give no command to run, and a refusal rather than a throw.
    [
      '/lease\u0000exec 7k2m9x4qpz ls',
      { identifier: 'missing_argument', command: 'exec', argument: 'a command to run, e.g. uname -a' },
    ],
    [
      'ｅｘｅｃ 7k2m9x4qpz ls',
      { identifier: 'missing_argument', command: 'exec', argument: 'a command to run, e.g. uname -a' },
    ],
  ])('GIVEN %j THEN it says what is missing', (text, error) => {
    expect(parseCommand(text)).toEqual({ ok: false, error });
  });

  it('GIVEN a command of 4000 characters THEN it parses; past what ExecService takes THEN too long', () => {
    expect(parseCommand(`/lease exec 7k2m9x4qpz echo ${'x'.repeat(4000)}`).ok).toBe(true);
    expect(parseCommand(`/lease exec 7k2m9x4qpz echo ${'x'.repeat(5000)}`)).toMatchObject({
      ok: false,
      error: { identifier: 'too_long' },
    });
    expect(parseCommand(`/lease provision ${'x'.repeat(600)}`)).toMatchObject({
      ok: false,
      error: { identifier: 'too_long' },
    });
    // The longer limit is earned by text that starts as an exec, read in its first 100 characters.
    expect(parseCommand(`${' '.repeat(100)}/lease exec 7k2m9x4qpz echo ${'x'.repeat(600)}`)).toMatchObject({
      ok: false,
      error: { identifier: 'too_long' },
    });
  });
});
