import { parsePortNumber } from '../../core/domain/port-number.js';
import { err, ok, type Result } from '../../core/result.js';
import { EXEC_MAX_COMMAND_CHARS } from '../../core/services/exec-service.js';
import type { CommandKind, GrammarError, LeaseCommand } from './command.js';

/** Longer input is refused before any parsing; no real command comes close. */
export const MAX_COMMAND_LENGTH = 500;
/** `/lease exec` carries a shell command, which may be as long as ExecService takes. */
const MAX_EXEC_TEXT_LENGTH = EXEC_MAX_COMMAND_CHARS + 100;
/** The words before an exec's command (`/lease exec <id> `), read from the text as typed. */
const EXEC_TEXT = /^\s*(?:\/?lease\s+)?(?:exec|run)\s+\S+\s*([\s\S]*)$/i;
/** Minutes beyond this are not a lease anyone means; the service applies the real limits. */
const MAX_MINUTES = 1_000_000;

/** A Map, not an object: typed words such as `__proto__` or `constructor` must not find anything. */
const VERBS: ReadonlyMap<string, CommandKind> = new Map(
  Object.entries({
    provision: 'provision',
    new: 'provision',
    create: 'provision',
    start: 'provision',
    up: 'provision',
    list: 'list',
    ls: 'list',
    ps: 'list',
    stop: 'stop',
    rm: 'stop',
    remove: 'stop',
    delete: 'stop',
    kill: 'stop',
    release: 'stop',
    down: 'stop',
    extend: 'extend',
    renew: 'extend',
    more: 'extend',
    logs: 'logs',
    log: 'logs',
    tail: 'logs',
    exec: 'exec',
    run: 'exec',
    open: 'open',
    browse: 'open',
    images: 'images',
    image: 'images',
    catalog: 'images',
    help: 'help',
    '?': 'help',
    '-h': 'help',
    '--help': 'help',
    usage: 'help',
    admin: 'admin',
  }) as Array<[string, CommandKind]>,
);

/** The longest window `/lease admin usage` accepts as typed; the service applies the real limit. */
const MAX_DAYS = 100_000;

/**
 * Turns `/lease …` text (with or without the `/lease` prefix) into a command. Never throws: any
 * text gives a command or a typed GrammarError. Full-width and other compatibility characters are
 * folded (NFKC) and control characters count as spaces, so pasted text parses as it reads; the
 * shell command of `/lease exec` is the one part taken exactly as typed.
 */
export function parseCommand(text: string): Result<LeaseCommand, GrammarError> {
  const limit = EXEC_TEXT.test(text.slice(0, 100)) ? MAX_EXEC_TEXT_LENGTH : MAX_COMMAND_LENGTH;
  if (text.length > limit) return err({ identifier: 'too_long', length: text.length });
  const words = tokenize(text);
  if (words[0]?.toLowerCase() === '/lease' || words[0]?.toLowerCase() === 'lease') words.shift();
  const [verb, ...args] = words;
  if (verb === undefined) return ok({ kind: 'help' });
  const kind = VERBS.get(verb.toLowerCase());
  if (kind === undefined) return err({ identifier: 'unknown_command', word: verb.slice(0, 40) });
  return PARSERS[kind](args, text);
}

function tokenize(text: string): string[] {
  const spaced = text
    .normalize('NFKC')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what we fold away
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200d\u2028\u2029\ufeff]/g, ' ');
  // Stryker disable next-line Regex: split at each single space, a run of spaces only adds empty words, which the filter drops
  return spaced.split(/\s+/).filter(Boolean);
}

type Parser = (args: string[], text: string) => Result<LeaseCommand, GrammarError>;

const PARSERS: Readonly<Record<CommandKind, Parser>> = {
  provision: (args) => {
    const [portWord, twice] = args.filter((word) => /^port=/i.test(word));
    if (portWord === undefined) return provision(args, undefined);
    if (twice !== undefined) return unexpected('provision', twice);
    const port = parsePortNumber(portWord.slice('port='.length));
    if (port === undefined) return invalidPort('provision', portWord.slice('port='.length));
    return provision(
      args.filter((word) => word !== portWord),
      port,
    );
  },
  list: (args) => {
    const [scope, extra] = args;
    if (scope !== undefined && scope.toLowerCase() !== 'all') return unexpected('list', scope);
    if (extra !== undefined) return unexpected('list', extra);
    return ok({ kind: 'list', all: scope !== undefined });
  },
  stop: (args) => withId('stop', args, (id) => ({ kind: 'stop', id })),
  logs: (args) => withId('logs', args, (id) => ({ kind: 'logs', id })),
  exec: (args, text) => {
    const [id] = args;
    if (id === undefined) return missing('exec', 'a lease id');
    // Words the raw text does not spell as typed (folded characters between them) give no command.
    const command = (EXEC_TEXT.exec(text)?.[1] ?? '').trim();
    if (command === '') return missing('exec', 'a command to run, e.g. uname -a');
    return ok({ kind: 'exec', id: id.toLowerCase(), command });
  },
  open: (args) => {
    const [id, portText, extra] = args;
    if (id === undefined) return missing('open', 'a lease id');
    if (portText === undefined) return missing('open', 'a port, e.g. 8000');
    if (extra !== undefined) return unexpected('open', extra);
    const port = parsePortNumber(portText);
    if (port === undefined) return invalidPort('open', portText);
    return ok({ kind: 'open', id: id.toLowerCase(), port });
  },
  extend: (args) => {
    const [id, minutesText, extra] = args;
    if (id === undefined) return missing('extend', 'a lease id');
    if (minutesText === undefined) return missing('extend', 'the minutes to add');
    if (extra !== undefined) return unexpected('extend', extra);
    const minutes = parseMinutes(minutesText);
    if (minutes === undefined)
      return err({ identifier: 'invalid_minutes', command: 'extend', value: minutesText });
    return ok({ kind: 'extend', id: id.toLowerCase(), minutes });
  },
  images: (args) => (args[0] === undefined ? ok({ kind: 'images' }) : unexpected('images', args[0])),
  help: () => ok({ kind: 'help' }),
  admin: (args) => {
    const [action, ...rest] = args;
    if (action === undefined) return missing('admin', 'what to do: stop, list, audit or usage');
    switch (action.toLowerCase()) {
      case 'stop': {
        const [id, ...reason] = rest;
        if (id === undefined) return missing('admin', 'a lease id: /lease admin stop <id> [reason]');
        const text = reason.join(' ');
        return ok({ kind: 'admin', action: 'stop', id: id.toLowerCase(), ...(text ? { reason: text } : {}) });
      }
      case 'list':
      case 'ls':
        return rest[0] === undefined ? ok({ kind: 'admin', action: 'list' }) : unexpected('admin', rest[0]);
      case 'audit':
        return withId('admin', rest, (id) => ({ kind: 'admin', action: 'audit', id }));
      case 'usage': {
        const [daysText, extra] = rest;
        if (extra !== undefined) return unexpected('admin', extra);
        if (daysText === undefined) return ok({ kind: 'admin', action: 'usage' });
        const days = /^(\d{1,6})d?$/i.exec(daysText)?.[1];
        if (days === undefined || Number(days) > MAX_DAYS) return unexpected('admin', daysText);
        return ok({ kind: 'admin', action: 'usage', days: Number(days) });
      }
      default:
        return unexpected('admin', action);
    }
  },
};

/** `provision ubuntu 120` and `provision 120 ubuntu` both read naturally; `port=N` is taken out first. */
function provision(args: string[], port: number | undefined): Result<LeaseCommand, GrammarError> {
  const [first, second, extra] = args;
  if (first === undefined) return missing('provision', 'an image, e.g. ubuntu');
  if (extra !== undefined) return unexpected('provision', extra);
  const numberFirst = second !== undefined && looksLikeMinutes(first) && !looksLikeMinutes(second);
  const imageType = numberFirst ? second : first;
  const minutesText = numberFirst ? first : second;
  if (looksLikeMinutes(imageType) && minutesText === undefined)
    return missing('provision', 'an image, e.g. ubuntu');
  if (minutesText === undefined)
    return ok({ kind: 'provision', imageType: imageType.toLowerCase(), ...withPort(port) });
  const minutes = parseMinutes(minutesText);
  if (minutes === undefined)
    return err({ identifier: 'invalid_minutes', command: 'provision', value: minutesText });
  return ok({ kind: 'provision', imageType: imageType.toLowerCase(), minutes, ...withPort(port) });
}

function withPort(port: number | undefined): { port?: number } {
  return port === undefined ? {} : { port };
}

function withId(
  command: CommandKind,
  args: string[],
  make: (id: string) => LeaseCommand,
): Result<LeaseCommand, GrammarError> {
  const [id, extra] = args;
  if (id === undefined) return missing(command, 'a lease id');
  if (extra !== undefined) return unexpected(command, extra);
  return ok(make(id.toLowerCase()));
}

const MINUTES = /^([+-]?)(\d{1,9})\s*(m|min|mins|minute|minutes|h|hr|hrs|hour|hours)?$/i;

function looksLikeMinutes(text: string): boolean {
  return /^[+-]?\d/.test(text);
}

/**
 * `30`, `+30`, `90m`, `2h`; undefined for anything else or absurd sizes. Zero and negative numbers
 * parse, so the service's one rule about the range words the refusal.
 */
export function parseMinutes(text: string): number | undefined {
  const match = MINUTES.exec(text);
  if (!match?.[2]) return undefined;
  const inHours = match[3]?.toLowerCase().startsWith('h');
  const size = Number(match[2]) * (inHours ? 60 : 1);
  const minutes = match[1] === '-' ? -size : size;
  return Math.abs(minutes) <= MAX_MINUTES ? minutes : undefined;
}

function missing(command: CommandKind, argument: string): Result<never, GrammarError> {
  return err({ identifier: 'missing_argument', command, argument });
}

function invalidPort(command: CommandKind, value: string): Result<never, GrammarError> {
  return err({ identifier: 'invalid_port', command, value: value.slice(0, 40) });
}

function unexpected(command: CommandKind, value: string): Result<never, GrammarError> {
  return err({ identifier: 'unexpected_argument', command, value: value.slice(0, 40) });
}
