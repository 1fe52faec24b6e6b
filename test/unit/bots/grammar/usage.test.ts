import { describe, expect, it } from 'vitest';
import { type CommandKind, USAGE, USAGE_LINE } from '../../../../src/bots/grammar/command.js';
import { parseCommand } from '../../../../src/bots/grammar/parse-command.js';

/** Each placeholder of a usage line, filled as a user would fill it. */
const EXAMPLES: ReadonlyArray<readonly [RegExp, string]> = [
  [/<image>/g, 'ubuntu'],
  [/\[minutes\]|<minutes>/g, '30'],
  [/\[port=N\]/g, 'port=8000'],
  [/<port>/g, '8000'],
  [/<id>/g, '7k2m9x4qpz'],
  [/<command…>/g, 'uname -a'],
  [/\[all\]/g, 'all'],
  [/\[reason\]/g, 'mining'],
  [/\[days\]/g, '7'],
];

function filledIn(form: string): string {
  return EXAMPLES.reduce((text, [placeholder, example]) => text.replace(placeholder, example), form);
}

/** The forms of a usage line (`a | b | c`), each with `/lease` in front. */
function forms(line: string): string[] {
  return line
    .replace(/^Usage: /, '')
    .split(' | ')
    .map((form) => (form.startsWith('/lease') ? form : `/lease ${form}`));
}

describe('the usage lines that help and grammar errors show', () => {
  it('GIVEN help THEN it lists one usage line per command, in the order help shows them', () => {
    expect(Object.keys(USAGE)).toEqual<CommandKind[]>([
      'provision',
      'list',
      'stop',
      'extend',
      'logs',
      'exec',
      'open',
      'images',
      'help',
      'admin',
    ]);
  });

  it.each(Object.entries(USAGE))(
    'GIVEN the usage of %s THEN every form it shows parses as that command',
    (kind, line) => {
      for (const form of forms(line)) {
        expect(parseCommand(filledIn(form)), form).toMatchObject({ ok: true, value: { kind } });
      }
    },
  );

  it('GIVEN the one-line usage THEN every form parses, and it names every command but admin', () => {
    const kinds = forms(USAGE_LINE).map((form) => {
      const result = parseCommand(filledIn(form));
      expect(result.ok, form).toBe(true);
      return result.ok ? result.value.kind : undefined;
    });
    expect(new Set(kinds)).toEqual(new Set(Object.keys(USAGE).filter((kind) => kind !== 'admin')));
  });
});
