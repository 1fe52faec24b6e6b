import type { REST } from '@discordjs/rest';
import {
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  ApplicationCommandType,
  ComponentType,
  InteractionResponseType,
  InteractionType,
} from 'discord-api-types/v10';
import { asCodedError, type CodedError } from '../../../core/errors.js';
import { guildRefusal } from '../allowed-guilds.js';
import { renderReply } from '../render/message.js';
import { type Ack, createResponder, messageResponse, type Responder } from '../responder.js';
import { answerButton } from './action-listener.js';
import { answerAutocomplete } from './autocomplete-listener.js';
import { answerSlashCommand } from './command-listener.js';
import type { ListenerDeps } from './listener-deps.js';

/** Handles one interaction in Discord's wire format, whichever transport delivered it. */
export type InteractionHandler = (interaction: APIInteraction, ack: Ack) => Promise<void>;

/**
 * Routes an interaction by type. Whatever goes wrong, the interaction is acknowledged if it was
 * not yet, so the user sees a reason instead of "The application did not respond".
 */
export function createInteractionHandler(rest: REST, deps: ListenerDeps): InteractionHandler {
  return async (interaction, ack) => {
    let acked = false;
    const responder = createResponder(rest, interaction, (response) => {
      acked = true;
      return ack(response);
    });
    try {
      await route(interaction, responder, deps);
    } catch (error) {
      deps.logger.error(
        {
          interactionId: interaction.id,
          type: interaction.type,
          error: String((error as Error)?.stack ?? error),
        },
        'discord interaction failed',
      );
      if (!acked) await ack(messageResponse(renderReply(deps.replies.error(asCodedError(error))), true));
    }
  };
}

async function route(interaction: APIInteraction, responder: Responder, deps: ListenerDeps): Promise<void> {
  if (interaction.type === InteractionType.Ping) return responder.ack({ type: InteractionResponseType.Pong });
  const refused = guildRefusal(deps.allowedGuilds, interaction);
  if (refused) return refuse(interaction, refused, responder, deps);
  switch (interaction.type) {
    case InteractionType.ApplicationCommand:
      if (interaction.data.type === ApplicationCommandType.ChatInput) {
        return answerSlashCommand(interaction as APIChatInputApplicationCommandInteraction, responder, deps);
      }
      break;
    case InteractionType.MessageComponent:
      if (interaction.data.component_type === ComponentType.Button)
        return answerButton(interaction, responder, deps);
      break;
    case InteractionType.ApplicationCommandAutocomplete:
      return answerAutocomplete(interaction, responder, deps);
  }
  return responder.ack(
    messageResponse(
      renderReply(deps.replies.grammarError({ identifier: 'unknown_command', word: 'that' })),
      true,
    ),
  );
}

/** One ephemeral reply saying why; autocomplete cannot show text, so it offers nothing. */
function refuse(
  interaction: APIInteraction,
  refused: CodedError,
  responder: Responder,
  deps: ListenerDeps,
): Promise<void> {
  deps.logger.warn(
    { interactionId: interaction.id, guild: interaction.guild_id ?? 'dm' },
    'Discord interaction not allowed by DISCORD_ALLOWED_GUILDS refused',
  );
  if (interaction.type === InteractionType.ApplicationCommandAutocomplete)
    return responder.ack({
      type: InteractionResponseType.ApplicationCommandAutocompleteResult,
      data: { choices: [] },
    });
  return responder.ack(messageResponse(renderReply(deps.replies.error(refused)), true));
}
