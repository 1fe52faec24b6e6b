import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Notice } from '../../core/domain/notice.js';
import type { Clock } from '../../core/ports/clock.js';
import type { Notifier } from '../../core/ports/notifier.js';
import type { CommandRunner } from '../command-runner.js';
import { parseCommand } from '../grammar/parse-command.js';
import type { ReplyBuilder } from '../replies/reply-builder.js';
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
}

export interface ConsoleFrontend {
  /** Prints notices for `local:` owners here. */
  readonly notifier: Notifier;
  /** Settles when standard input ends (the pipe closed, or Ctrl-D) or the terminal is lost. */
  readonly closed: Promise<void>;
  close(): void;
}

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
      const pending = parsed.ok ? replies.pending(parsed.value) : undefined;
      if (pending) print(renderConsoleReply(pending, clock.now(), interactive));
      const reply = await runner.runText(text, context);
      print(renderConsoleReply(reply, clock.now(), interactive));
      prompt();
    });
  });
  const closed = new Promise<void>((resolve) => lines.once('close', () => void queue.then(resolve)));
  // A terminal that goes away fails reads (EIO) or writes (EPIPE): the console ends as if its
  // input had ended, instead of an unheard 'error' ending the process.
  const lost = () => lines.close();
  lines.on('error', lost);
  output.on('error', lost);
  if (interactive) {
    print('ContainerLease console. Type /lease help, or Ctrl-D to quit.');
    prompt();
  }

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
  return { notifier, closed, close: () => lines.close() };
}
