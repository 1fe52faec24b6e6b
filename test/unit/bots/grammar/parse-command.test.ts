import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GrammarError, LeaseCommand } from '../../../../src/bots/grammar/command.js';
import { parseCommand } from '../../../../src/bots/grammar/parse-command.js';
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
  ])('GIVEN "%s" THEN %o', (text, command) => {
    expect(parsed(text)).toEqual({ ok: true, value: command });
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
  ])('GIVEN "%s" THEN the error %o', (text, error) => {
    expect(parsed(text)).toEqual({ ok: false, error });
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
