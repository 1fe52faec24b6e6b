import type { RawFile, REST } from '@discordjs/rest';
import {
  type APIInteractionResponse,
  InteractionResponseType,
  MessageFlags,
  Routes,
} from 'discord-api-types/v10';
import type { DiscordMessage } from './render/message.js';

/** Sends the one initial response to an interaction (Discord's 3-second deadline applies to it). */
export type Ack = (response: APIInteractionResponse) => Promise<void>;

/** How an interaction is answered, whether it came over the gateway or over HTTP. */
export interface Responder {
  readonly ack: Ack;
  /**
   * Edits the original response (for a button: the message the button is on), with `files` as its
   * attachments (multipart: `payload_json` and `files[n]`).
   */
  edit(message: DiscordMessage, files?: readonly RawFile[]): Promise<void>;
  /** A further message; an ephemeral one is seen only by whoever pressed or typed. */
  followUp(message: DiscordMessage, ephemeral: boolean): Promise<void>;
}

interface Addressed {
  readonly id: string;
  readonly application_id: string;
  readonly token: string;
}

/** Follow-ups go to the interaction's webhook, which needs no bot token (the interaction's token is the key). */
export function createResponder(rest: REST, interaction: Addressed, ack: Ack): Responder {
  return {
    ack,
    edit: async (message, files = []) => {
      const attachments = files.map((file, id) => ({ id, filename: file.name }));
      await rest.patch(Routes.webhookMessage(interaction.application_id, interaction.token), {
        body: files.length > 0 ? { ...message, attachments } : message,
        files: files.length > 0 ? [...files] : undefined,
        auth: false,
      });
    },
    followUp: async (message, ephemeral) => {
      await rest.post(Routes.webhook(interaction.application_id, interaction.token), {
        body: { ...message, flags: ephemeral ? MessageFlags.Ephemeral : undefined },
        auth: false,
      });
    },
  };
}

/** Over the gateway the initial response is a POST to the interaction's callback. */
export function callbackAck(rest: REST, interaction: Addressed): Ack {
  return async (response) => {
    await rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
      body: response,
      auth: false,
    });
  };
}

export function messageResponse(message: DiscordMessage, ephemeral: boolean): APIInteractionResponse {
  return {
    type: InteractionResponseType.ChannelMessageWithSource,
    data: { ...message, flags: ephemeral ? MessageFlags.Ephemeral : undefined },
  };
}

/** "Thinking…": the answer follows as an edit. Ephemerality is fixed here, not at the edit. */
export function deferredResponse(ephemeral: boolean): APIInteractionResponse {
  return {
    type: InteractionResponseType.DeferredChannelMessageWithSource,
    data: { flags: ephemeral ? MessageFlags.Ephemeral : undefined },
  };
}

export const deferredUpdate: APIInteractionResponse = { type: InteractionResponseType.DeferredMessageUpdate };

export function updateResponse(message: DiscordMessage): APIInteractionResponse {
  return { type: InteractionResponseType.UpdateMessage, data: message };
}
