import type { APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import type { Reply } from '../../replies/reply.js';
import { settledWithin } from '../../settled-within.js';
import { isSlow } from '../../slow-commands.js';
import { contextOf } from '../identity.js';
import { renderReply, replyFiles } from '../render/message.js';
import { deferredResponse, messageResponse, type Responder } from '../responder.js';
import { commandFromInput, readSubcommand } from './command-options.js';
import type { ListenerDeps } from './listener-deps.js';

/** `/lease <subcommand>`: map the options to a command, run it, answer in time. */
export async function answerSlashCommand(
  interaction: APIChatInputApplicationCommandInteraction,
  responder: Responder,
  deps: ListenerDeps,
): Promise<void> {
  const parsed =
    interaction.data.name === 'lease'
      ? commandFromInput(readSubcommand(interaction.data.options))
      : ({
          ok: false,
          error: { identifier: 'unknown_command', word: interaction.data.name.slice(0, 40) },
        } as const);
  if (!parsed.ok) {
    await responder.ack(messageResponse(renderReply(deps.replies.grammarError(parsed.error)), true));
    return;
  }
  const command = parsed.value;
  await answerCommand(responder, () => deps.runner.run(command, contextOf(interaction)), {
    slow: isSlow(command),
    deferAfterMs: deps.deferAfterMs,
  });
}

export interface AnswerOptions {
  /** Known to be slow (provision, stop, exec): defer before the work starts. */
  readonly slow: boolean;
  /** A quick command that has not finished by then is deferred after all. */
  readonly deferAfterMs: number;
}

/**
 * Answers a slash command inside Discord's 3-second window. Slow commands are deferred
 * (ephemeral "thinking…") before any work, so a failed acknowledgement starts nothing; quick ones
 * are answered in one response, unless they run past `deferAfterMs`, when they are deferred too.
 * Either way the result arrives by editing the deferred response.
 */
export async function answerCommand(
  responder: Responder,
  work: () => Promise<Reply>,
  options: AnswerOptions,
): Promise<void> {
  if (options.slow) {
    await responder.ack(deferredResponse(true));
    const reply = await work();
    await responder.edit(renderReply(reply), replyFiles(reply));
    return;
  }
  const pending = work();
  const quick = await settledWithin(pending, options.deferAfterMs);
  if (quick) {
    await responder.ack(messageResponse(renderReply(quick), quick.ephemeral));
    return;
  }
  await responder.ack(deferredResponse(true));
  const reply = await pending;
  await responder.edit(renderReply(reply), replyFiles(reply));
}
