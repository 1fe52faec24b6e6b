import { err, ok, type Result } from '../../../core/result.js';
import type { CommandKind, GrammarError, LeaseCommand } from '../../grammar/command.js';

/** An option as Discord sends it, in an interaction's `data.options` tree. */
export interface OptionNode {
  readonly name: string;
  readonly type: number;
  readonly value?: string | number | boolean;
  readonly options?: readonly OptionNode[];
  readonly focused?: boolean;
}

/** `/lease <subcommand>` with its options by name, and the one being typed during autocomplete. */
export interface SubcommandInput {
  readonly subcommand: string;
  readonly values: ReadonlyMap<string, string | number | boolean>;
  readonly focused?: { readonly name: string; readonly value: string };
}

/** Discord's option type of a subcommand group (`/lease admin stop`). */
const SUBCOMMAND_GROUP = 2;

/** The subcommand, named `<group> <subcommand>` inside a group (`admin stop`), and its options. */
export function readSubcommand(options: readonly OptionNode[] | undefined): SubcommandInput {
  const [first] = options ?? [];
  const inner = first?.type === SUBCOMMAND_GROUP ? first.options?.[0] : undefined;
  const sub = inner ?? first;
  const name = inner ? `${first?.name} ${inner.name}` : (first?.name ?? '');
  const values = new Map<string, string | number | boolean>();
  let focused: SubcommandInput['focused'];
  for (const option of sub?.options ?? []) {
    if (option.value === undefined) continue;
    values.set(option.name, option.value);
    if (option.focused) focused = { name: option.name, value: String(option.value) };
  }
  return { subcommand: name, values, focused };
}

/**
 * The command a slash command stands for. Discord already enforces required options, types and
 * ranges on its side; the service checks them again, so this only maps names.
 */
export function commandFromInput(input: SubcommandInput): Result<LeaseCommand, GrammarError> {
  const text = (name: string) => {
    const value = input.values.get(name);
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const minutes = () => {
    const value = input.values.get('minutes');
    return typeof value === 'number' ? value : undefined;
  };
  const port = () => {
    const value = input.values.get('port');
    return typeof value === 'number' ? value : undefined;
  };
  const withId = (kind: CommandKind, make: (id: string) => LeaseCommand) => {
    const id = text('id');
    return id === undefined ? missing(kind, 'a lease id') : ok(make(id.toLowerCase()));
  };
  switch (input.subcommand) {
    case 'provision': {
      const image = text('image');
      if (image === undefined) return missing('provision', 'an image, e.g. ubuntu');
      const wanted = port();
      return ok({
        kind: 'provision',
        imageType: image.toLowerCase(),
        minutes: minutes(),
        ...(wanted === undefined ? {} : { port: wanted }),
      });
    }
    case 'list':
      return ok({ kind: 'list', all: input.values.get('all') === true });
    case 'stop':
      return withId('stop', (id) => ({ kind: 'stop', id }));
    case 'logs':
      return withId('logs', (id) => ({ kind: 'logs', id }));
    case 'exec': {
      const command = text('command');
      if (command === undefined) return missing('exec', 'a command to run, e.g. uname -a');
      return withId('exec', (id) => ({ kind: 'exec', id, command }));
    }
    case 'open': {
      const wanted = port();
      if (wanted === undefined) return missing('open', 'a port, e.g. 8000');
      return withId('open', (id) => ({ kind: 'open', id, port: wanted }));
    }
    case 'extend': {
      const wanted = minutes();
      if (wanted === undefined) return missing('extend', 'the minutes to add');
      return withId('extend', (id) => ({ kind: 'extend', id, minutes: wanted }));
    }
    case 'images':
      return ok({ kind: 'images' });
    case 'help':
      return ok({ kind: 'help' });
    case 'admin stop': {
      const reason = text('reason');
      return withId('admin', (id) => ({ kind: 'admin', action: 'stop', id, ...(reason ? { reason } : {}) }));
    }
    case 'admin list':
      return ok({ kind: 'admin', action: 'list' });
    case 'admin audit':
      return withId('admin', (id) => ({ kind: 'admin', action: 'audit', id }));
    case 'admin usage': {
      const days = input.values.get('days');
      return ok({ kind: 'admin', action: 'usage', ...(typeof days === 'number' ? { days } : {}) });
    }
    default:
      return err({ identifier: 'unknown_command', word: input.subcommand.slice(0, 40) });
  }
}

function missing(command: CommandKind, argument: string): Result<never, GrammarError> {
  return err({ identifier: 'missing_argument', command, argument });
}
