import type { APIChatInputApplicationCommandInteraction } from 'discord.js';
import { isSlow } from '../../command-runner.js';
import { answerCommand } from '../answer.js';
import { contextOf } from '../identity.js';
import { renderReply } from '../render/message.js';
import { messageResponse, type Responder } from '../responder.js';
import { commandFromInput, readSubcommand } from './command-options.js';
import type { HandlerDeps } from './listener-deps.js';

/** `/lease <subcommand>`: map the options to a command, run it, answer in time. */
export async function answerSlashCommand(
  interaction: APIChatInputApplicationCommandInteraction,
  responder: Responder,
  deps: HandlerDeps,
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
