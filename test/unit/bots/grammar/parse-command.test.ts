import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GrammarError, LeaseCommand } from '../../../../src/bots/grammar/command.js';
import { MAX_COMMAND_LENGTH, parseCommand } from '../../../../src/bots/grammar/parse-command.js';
import type { Result } from '../../../../src/core/result.js';

const parsed = (text: string) => parseCommand(text) as Result<LeaseCommand, GrammarError>;

describe('the /lease grammar', () => {
  it.each<[string, LeaseCommand]>([
    ['/lease provision ubuntu 120', { kind: 'provision', imageType: 'ubuntu', minutes: 120 }],
    ['provision ubuntu 120', { kind: 'provision', imageType: 'ubuntu', minutes: 120 }],
    ['/lease new Ubuntu', { kind: 'provision', imageType: 'ubuntu' }],
    ['/lease provision 2h python', { kind: 'provision', imageType: 'python', minutes: 120 }],
    ['/lease provision alpine 90m', { kind: 'provision', imageType: 'alpine', minutes: 90 }],
    ['/lease provision alpine 0', { kind: 'provision', imageType: 'alpine', minutes: 0 }],
    ['/lease   ls', { kind: 'list', all: false }],
    ['/lease list ALL', { kind: 'list', all: true }],
    ['/lease rm 7k2m9x4qpz', { kind: 'stop', id: '7k2m9x4qpz' }],
    ['/lease stop 7K2M9X4QPZ', { kind: 'stop', id: '7k2m9x4qpz' }],
    ['/lease extend 7k2m9x4qpz +30', { kind: 'extend', id: '7k2m9x4qpz', minutes: 30 }],
    ['/lease renew 7k2m9x4qpz 1h', { kind: 'extend', id: '7k2m9x4qpz', minutes: 60 }],
    ['/lease logs 7k2m9x4qpz', { kind: 'logs', id: '7k2m9x4qpz' }],
    ['/lease open 7K2M9X4QPZ 8000', { kind: 'open', id: '7k2m9x4qpz', port: 8000 }],
    ['/lease browse 7k2m9x4qpz 1', { kind: 'open', id: '7k2m9x4qpz', port: 1 }],
    ['/lease open 7k2m9x4qpz 65535', { kind: 'open', id: '7k2m9x4qpz', port: 65535 }],
    [
      '/lease provision python 60 port=8000',
      { kind: 'provision', imageType: 'python', minutes: 60, port: 8000 },
    ],
    ['/lease provision port=3000 node', { kind: 'provision', imageType: 'node', port: 3000 }],
    [
      '/lease provision 2h PORT=80 python',
      { kind: 'provision', imageType: 'python', minutes: 120, port: 80 },
    ],
    ['/lease images', { kind: 'images' }],
    ['/lease help', { kind: 'help' }],
    ['/lease', { kind: 'help' }],
    ['', { kind: 'help' }],
    [
      '／ｌｅａｓｅ　ｐｒｏｖｉｓｉｏｎ　ｕｂｕｎｔｕ　６０',
      { kind: 'provision', imageType: 'ubuntu', minutes: 60 },
    ],
    ['/lease\tprovision\u0000ubuntu\u200b 5', { kind: 'provision', imageType: 'ubuntu', minutes: 5 }],
    ['/lease admin stop 7K2M9X4QPZ', { kind: 'admin', action: 'stop', id: '7k2m9x4qpz' }],
    [
      '/lease admin stop 7k2m9x4qpz  mining crypto, again',
      { kind: 'admin', action: 'stop', id: '7k2m9x4qpz', reason: 'mining crypto, again' },
    ],
    ['/lease ADMIN list', { kind: 'admin', action: 'list' }],
    ['/lease admin audit 7k2m9x4qpz', { kind: 'admin', action: 'audit', id: '7k2m9x4qpz' }],
    ['/lease admin usage', { kind: 'admin', action: 'usage' }],
    ['/lease admin usage 30', { kind: 'admin', action: 'usage', days: 30 }],
    ['/lease admin usage 7d', { kind: 'admin', action: 'usage', days: 7 }],
    ['/lease admin usage 100000', { kind: 'admin', action: 'usage', days: 100_000 }],
    ['/lease admin ls', { kind: 'admin', action: 'list' }],
    ['/lease extend 7k2m9x4qpz 3hrs', { kind: 'extend', id: '7k2m9x4qpz', minutes: 180 }],
    ['/lease extend 7k2m9x4qpz 1Hour', { kind: 'extend', id: '7k2m9x4qpz', minutes: 60 }],
    ['/lease extend 7k2m9x4qpz 45min', { kind: 'extend', id: '7k2m9x4qpz', minutes: 45 }],
    // Negative and huge-but-sane numbers parse: the service's one rule about the range words the refusal.
    ['/lease extend 7k2m9x4qpz -5', { kind: 'extend', id: '7k2m9x4qpz', minutes: -5 }],
    ['/lease extend 7k2m9x4qpz -2h', { kind: 'extend', id: '7k2m9x4qpz', minutes: -120 }],
    ['/lease extend 7k2m9x4qpz 1000000', { kind: 'extend', id: '7k2m9x4qpz', minutes: 1_000_000 }],
    ['/lease provision +30 ubuntu', { kind: 'provision', imageType: 'ubuntu', minutes: 30 }],
    ['/lease provision python3', { kind: 'provision', imageType: 'python3' }],
    // An image whose name starts with a digit, then minutes: the number that is all digits is the minutes.
    ['/lease provision 7zip 30', { kind: 'provision', imageType: '7zip', minutes: 30 }],
  ])('GIVEN "%s" THEN %o', (text, command) => {
    // Strict: a command carries only the fields typed (no `port: undefined` a caller would test with `in`).
    expect(parsed(text)).toStrictEqual({ ok: true, value: command });
  });

  it.each<[string, GrammarError]>([
    ['/lease launch ubuntu', { identifier: 'unknown_command', word: 'launch' }],
    ['/lease __proto__', { identifier: 'unknown_command', word: '__proto__' }],
    ['/lease constructor', { identifier: 'unknown_command', word: 'constructor' }],
    ['toString', { identifier: 'unknown_command', word: 'toString' }],
    [
      '/lease provision',
      { identifier: 'missing_argument', command: 'provision', argument: 'an image, e.g. ubuntu' },
    ],
    [
      '/lease provision 60',
      { identifier: 'missing_argument', command: 'provision', argument: 'an image, e.g. ubuntu' },
    ],
    ['/lease provision ubuntu soon', { identifier: 'invalid_minutes', command: 'provision', value: 'soon' }],
    [
      '/lease provision ubuntu 99999999999',
      { identifier: 'invalid_minutes', command: 'provision', value: '99999999999' },
    ],
    [
      '/lease provision ubuntu 60 now',
      { identifier: 'unexpected_argument', command: 'provision', value: 'now' },
    ],
    ['/lease stop', { identifier: 'missing_argument', command: 'stop', argument: 'a lease id' }],
    ['/lease open', { identifier: 'missing_argument', command: 'open', argument: 'a lease id' }],
    [
      '/lease open 7k2m9x4qpz',
      { identifier: 'missing_argument', command: 'open', argument: 'a port, e.g. 8000' },
    ],
    ['/lease open 7k2m9x4qpz 0', { identifier: 'invalid_port', command: 'open', value: '0' }],
    ['/lease open 7k2m9x4qpz 65536', { identifier: 'invalid_port', command: 'open', value: '65536' }],
    ['/lease open 7k2m9x4qpz +80', { identifier: 'invalid_port', command: 'open', value: '+80' }],
    ['/lease open 7k2m9x4qpz 8e3', { identifier: 'invalid_port', command: 'open', value: '8e3' }],
    ['/lease open 7k2m9x4qpz 80 now', { identifier: 'unexpected_argument', command: 'open', value: 'now' }],
    ['/lease provision python port=', { identifier: 'invalid_port', command: 'provision', value: '' }],
    [
      '/lease provision python port=99999',
      { identifier: 'invalid_port', command: 'provision', value: '99999' },
    ],
    [
      '/lease provision python port=80 port=81',
      { identifier: 'unexpected_argument', command: 'provision', value: 'port=81' },
    ],
    [
      '/lease extend abc',
      { identifier: 'missing_argument', command: 'extend', argument: 'the minutes to add' },
    ],
    ['/lease extend abc 1e3', { identifier: 'invalid_minutes', command: 'extend', value: '1e3' }],
    ['/lease list mine', { identifier: 'unexpected_argument', command: 'list', value: 'mine' }],
    ['/lease images ubuntu', { identifier: 'unexpected_argument', command: 'images', value: 'ubuntu' }],
    [`/lease ${'x'.repeat(600)}`, { identifier: 'too_long', length: 607 }],
    [
      '/lease admin',
      {
        identifier: 'missing_argument',
        command: 'admin',
        argument: 'what to do: stop, list, audit or usage',
      },
    ],
    ['/lease admin reboot', { identifier: 'unexpected_argument', command: 'admin', value: 'reboot' }],
    [
      '/lease admin stop',
      {
        identifier: 'missing_argument',
        command: 'admin',
        argument: 'a lease id: /lease admin stop <id> [reason]',
      },
    ],
    ['/lease admin audit', { identifier: 'missing_argument', command: 'admin', argument: 'a lease id' }],
    ['/lease admin list all', { identifier: 'unexpected_argument', command: 'admin', value: 'all' }],
    ['/lease admin usage week', { identifier: 'unexpected_argument', command: 'admin', value: 'week' }],
    ['/lease admin usage 7 days', { identifier: 'unexpected_argument', command: 'admin', value: 'days' }],
    ['/lease admin usage 100001', { identifier: 'unexpected_argument', command: 'admin', value: '100001' }],
    ['/lease admin usage x7', { identifier: 'unexpected_argument', command: 'admin', value: 'x7' }],
    ['/lease admin usage 7weeks', { identifier: 'unexpected_argument', command: 'admin', value: '7weeks' }],
    ['/lease list all mine', { identifier: 'unexpected_argument', command: 'list', value: 'mine' }],
    ['/lease logs', { identifier: 'missing_argument', command: 'logs', argument: 'a lease id' }],
    ['/lease stop 7k2m9x4qpz now', { identifier: 'unexpected_argument', command: 'stop', value: 'now' }],
    ['/lease extend', { identifier: 'missing_argument', command: 'extend', argument: 'a lease id' }],
    [
      '/lease extend 7k2m9x4qpz 30 more',
      { identifier: 'unexpected_argument', command: 'extend', value: 'more' },
    ],
    [
      '/lease extend 7k2m9x4qpz 1000001',
      { identifier: 'invalid_minutes', command: 'extend', value: '1000001' },
    ],
    // Only a word that starts with port= names a port; any other is the image or the minutes.
    [
      '/lease provision ubuntu teleport=80',
      { identifier: 'invalid_minutes', command: 'provision', value: 'teleport=80' },
    ],
  ])('GIVEN "%s" THEN the error %o', (text, error) => {
    expect(parsed(text)).toEqual({ ok: false, error });
  });

  it('GIVEN text of exactly 500 characters THEN it parses; one more THEN too long', () => {
    const command = '/lease admin stop 7k2m9x4qpz ';
    const longest = command + 'x'.repeat(MAX_COMMAND_LENGTH - command.length);
    expect(parsed(longest)).toMatchObject({ ok: true, value: { kind: 'admin', action: 'stop' } });
    expect(parsed(`${longest}x`)).toEqual({
      ok: false,
      error: { identifier: 'too_long', length: MAX_COMMAND_LENGTH + 1 },
    });
  });

  it('GIVEN a long unknown word or argument THEN the error quotes its first 40 characters only', () => {
    const word = 'w'.repeat(100);
    expect(parsed(`/lease ${word}`)).toEqual({
      ok: false,
      error: { identifier: 'unknown_command', word: word.slice(0, 40) },
    });
    expect(parsed(`/lease list ${word}`)).toEqual({
      ok: false,
      error: { identifier: 'unexpected_argument', command: 'list', value: word.slice(0, 40) },
    });
    const digits = '9'.repeat(100);
    expect(parsed(`/lease open 7k2m9x4qpz ${digits}`)).toEqual({
      ok: false,
      error: { identifier: 'invalid_port', command: 'open', value: digits.slice(0, 40) },
    });
  });

  it('GIVEN any text at all THEN it never throws and every failure is a typed grammar error', () => {
    const identifiers = [
      'unknown_command',
      'missing_argument',
      'unexpected_argument',
      'invalid_minutes',
      'invalid_port',
      'too_long',
    ];
    const kinds = ['provision', 'list', 'stop', 'extend', 'logs', 'open', 'images', 'help', 'admin'];
    const words = fc.constantFrom(
      '/lease',
      'provision',
      'new',
      'rm',
      'extend',
      'ls',
      'all',
      '30',
      '-5',
      '2h',
      'ubuntu',
      '\u0000',
      '💥',
    );
    const text = fc.oneof(
      fc.string({ maxLength: 700 }),
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.array(words, { maxLength: 8 }).map((parts) => parts.join(' ')),
    );
    fc.assert(
      fc.property(text, (input) => {
        const result = parseCommand(input);
        if (result.ok) expect(kinds).toContain(result.value.kind);
        else expect(identifiers).toContain(result.error.identifier);
      }),
      { numRuns: 3000 },
    );
  });
});
