import { describe, expect, it } from 'vitest';
import {
  commandFromInput,
  readSubcommand,
} from '../../../../../src/bots/discord/listeners/command-options.js';

function input(
  subcommand: string,
  options: Record<string, string | number | boolean> = {},
  focused?: string,
) {
  return readSubcommand([
    {
      type: 1,
      name: subcommand,
      options: Object.entries(options).map(([name, value]) => ({
        name,
        type: 3,
        value,
        focused: name === focused,
      })),
    },
  ]);
}

describe('commandFromInput: /lease subcommand options as the shared LeaseCommand', () => {
  it.each([
    [
      'provision',
      { image: 'Ubuntu', minutes: 120 },
      { kind: 'provision', imageType: 'ubuntu', minutes: 120 },
    ],
    ['provision', { image: 'alpine' }, { kind: 'provision', imageType: 'alpine', minutes: undefined }],
    [
      'provision',
      { image: 'python', port: 8000 },
      { kind: 'provision', imageType: 'python', minutes: undefined, port: 8000 },
    ],
    ['open', { id: '7K2M9X4QPZ', port: 8000 }, { kind: 'open', id: '7k2m9x4qpz', port: 8000 }],
    ['list', {}, { kind: 'list', all: false }],
    ['list', { all: true }, { kind: 'list', all: true }],
    ['stop', { id: '7K2M9X4QPZ' }, { kind: 'stop', id: '7k2m9x4qpz' }],
    ['extend', { id: '7k2m9x4qpz', minutes: 30 }, { kind: 'extend', id: '7k2m9x4qpz', minutes: 30 }],
    ['logs', { id: '7k2m9x4qpz' }, { kind: 'logs', id: '7k2m9x4qpz' }],
    ['images', {}, { kind: 'images' }],
    ['help', {}, { kind: 'help' }],
  ])('GIVEN /lease %s %o THEN %o', (subcommand, options, expected) => {
    expect(commandFromInput(input(subcommand, options))).toEqual({ ok: true, value: expected });
  });

  it.each([
    [
      'provision',
      {},
      { identifier: 'missing_argument', command: 'provision', argument: 'an image, e.g. ubuntu' },
    ],
    ['stop', { id: '   ' }, { identifier: 'missing_argument', command: 'stop', argument: 'a lease id' }],
    [
      'extend',
      { id: '7k2m9x4qpz' },
      { identifier: 'missing_argument', command: 'extend', argument: 'the minutes to add' },
    ],
    [
      'open',
      { id: '7k2m9x4qpz' },
      { identifier: 'missing_argument', command: 'open', argument: 'a port, e.g. 8000' },
    ],
    ['open', { port: 8000 }, { identifier: 'missing_argument', command: 'open', argument: 'a lease id' }],
    ['launch', {}, { identifier: 'unknown_command', word: 'launch' }],
  ])('GIVEN /lease %s %o THEN the grammar error %o', (subcommand, options, error) => {
    expect(commandFromInput(input(subcommand, options))).toEqual({ ok: false, error });
  });

  it('GIVEN an autocomplete request THEN the focused option and what was typed so far are read', () => {
    expect(input('stop', { id: '7k' }, 'id').focused).toEqual({ name: 'id', value: '7k' });
    expect(input('provision', { image: 'ub', minutes: 30 }, 'image')).toMatchObject({
      subcommand: 'provision',
      focused: { name: 'image', value: 'ub' },
    });
  });

  it('GIVEN no options at all THEN an unknown command, never a crash', () => {
    expect(commandFromInput(readSubcommand(undefined))).toEqual({
      ok: false,
      error: { identifier: 'unknown_command', word: '' },
    });
  });
});

describe('commandFromInput: /lease admin <subcommand>, a subcommand group', () => {
  const admin = (subcommand: string, options: Record<string, string | number> = {}) =>
    readSubcommand([
      {
        type: 2,
        name: 'admin',
        options: [
          {
            type: 1,
            name: subcommand,
            options: Object.entries(options).map(([name, value]) => ({ name, type: 3, value })),
          },
        ],
      },
    ]);

  it.each([
    [
      'stop',
      { id: '7K2M9X4QPZ', reason: ' runaway ' },
      { kind: 'admin', action: 'stop', id: '7k2m9x4qpz', reason: 'runaway' },
    ],
    ['stop', { id: '7k2m9x4qpz' }, { kind: 'admin', action: 'stop', id: '7k2m9x4qpz' }],
    ['list', {}, { kind: 'admin', action: 'list' }],
    ['audit', { id: '7k2m9x4qpz' }, { kind: 'admin', action: 'audit', id: '7k2m9x4qpz' }],
    ['usage', { days: 30 }, { kind: 'admin', action: 'usage', days: 30 }],
    ['usage', {}, { kind: 'admin', action: 'usage' }],
  ])('GIVEN admin %s %o THEN %o', (subcommand, options, command) => {
    expect(commandFromInput(admin(subcommand, options))).toEqual({ ok: true, value: command });
  });

  it('GIVEN admin stop without an id THEN the missing argument is named', () => {
    expect(commandFromInput(admin('stop'))).toEqual({
      ok: false,
      error: { identifier: 'missing_argument', command: 'admin', argument: 'a lease id' },
    });
  });
});
