import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { LeaseView } from '../../core/domain/lease.js';
import type { Notice } from '../../core/domain/notice.js';
import type { Clock } from '../../core/ports/clock.js';
import type { Notifier } from '../../core/ports/notifier.js';
import type { CommandRunner } from '../command-runner.js';
import { parseCommand } from '../grammar/parse-command.js';
import type { ReplyBuilder } from '../replies/reply-builder.js';
import { settledWithin } from '../settled-within.js';
import { isSlow } from '../slow-commands.js';
import { renderConsoleReply } from './console-render.js';

export interface ConsoleOptions {
  readonly input: Readable;
  readonly output: Writable;
  readonly runner: CommandRunner;
  readonly replies: ReplyBuilder;
  readonly clock: Clock;
  /** The console user; the owner is `local:<user>`. */
  readonly user: string;
  /** Show a prompt and colours (a terminal), or plain lines (a pipe). */
  readonly interactive: boolean;
  /** The user's leases still running, to say when they go as the console quits. */
  readonly stillRunning: () => Promise<readonly LeaseView[]>;
}

export interface ConsoleFrontend {
  /** Prints notices for `local:` owners here. */
  readonly notifier: Notifier;
  /** Shows the banner and the first prompt in a terminal; called once everything has started. */
  greet(): void;
  /**
   * Settles when standard input ends (the pipe closed, or Ctrl-D) or the terminal is lost, and
   * the console has said goodbye.
   */
  readonly closed: Promise<void>;
  /** Stops reading; settles as `closed` does. */
  close(): Promise<void>;
}

/** The goodbye waits this long at most for the leases still running (Redis or Docker may be down). */
const FAREWELL_MS = 3_000;

/**
 * The product's console: reads `/lease …` lines from a terminal or a pipe as `local:<user>`,
 * runs them one at a time in order, and prints replies and incoming notices.
 */
export function startConsole(options: ConsoleOptions): ConsoleFrontend {
  const { input, output, runner, replies, clock, interactive } = options;
  const context = { owner: `local:${options.user}`, notify: { platform: 'local', user: options.user } };
  const lines = createInterface({ input, terminal: false });
  const print = (text: string) => output.write(`${text}\n`);
  const prompt = () => interactive && output.write('lease> ');
  let queue = Promise.resolve();

  lines.on('line', (raw) => {
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    queue = queue.then(async () => {
      const parsed = parseCommand(text);
      if (parsed.ok && isSlow(parsed.value))
        print(renderConsoleReply(replies.pending(parsed.value), clock.now(), interactive));
      const reply = await runner.runText(text, context);
      print(renderConsoleReply(reply, clock.now(), interactive));
      prompt();
    });
  });
  const farewell = async () => {
    const running = options.stillRunning().catch(() => []);
    const leases = (await settledWithin(running, FAREWELL_MS)) ?? [];
    if (leases.length === 0) return;
    // Ctrl-D leaves the cursor after the prompt.
    if (interactive) output.write('\n');
    print(renderConsoleReply(replies.stillRunning(leases), clock.now(), interactive));
  };
  const closed = new Promise<void>((resolve) =>
    lines.once('close', () => void queue.then(farewell).then(resolve)),
  );
  // A terminal that goes away fails reads (EIO) or writes (EPIPE): the console ends as if its
  // input had ended, instead of an unheard 'error' ending the process.
  const lost = () => lines.close();
  lines.on('error', lost);
  output.on('error', lost);

  const shown = new Set<string>();
  const notifier: Notifier = {
    platform: 'local',
    async deliver(notice: Notice) {
      if (shown.has(notice.id)) return;
      shown.add(notice.id);
      print(renderConsoleReply(replies.notice(notice), clock.now(), interactive, 'notice'));
      prompt();
    },
  };
  return {
    notifier,
    closed,
    greet: () => {
      if (!interactive) return;
      print('ContainerLease console. Type /lease help, or Ctrl-D to quit.');
      prompt();
    },
    close: () => {
      lines.close();
      return closed;
    },
  };
}
