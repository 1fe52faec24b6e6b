import {
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandOptionChoice,
  InteractionResponseType,
} from 'discord-api-types/v10';
import { relativeTime } from '../../replies/plain-text.js';
import { settledWithin } from '../../settled-within.js';
import { choiceName } from '../choice-name.js';
import { contextOf } from '../identity.js';
import type { Responder } from '../responder.js';
import { readSubcommand, type SubcommandInput } from './command-options.js';
import type { ListenerDeps } from './listener-deps.js';

const MAX_CHOICES = 25;

/**
 * Suggestions while typing: images from the catalog, and lease ids from the caller's own leases
 * (everyone's in an admin's `/lease admin …`).
 * Autocomplete cannot be deferred, so a slow look-up gives no suggestions rather than none in time.
 */
export async function answerAutocomplete(
  interaction: APIApplicationCommandAutocompleteInteraction,
  responder: Responder,
  deps: ListenerDeps,
): Promise<void> {
  const input = readSubcommand(interaction.data.options);
  const lookUp = choicesFor(input, contextOf(interaction).owner, deps).catch((error: unknown) => {
    deps.logger.warn({ error: String(error) }, 'discord autocomplete look-up failed');
    return [];
  });
  const choices = (await settledWithin(lookUp, deps.deferAfterMs)) ?? [];
  await responder.ack({
    type: InteractionResponseType.ApplicationCommandAutocompleteResult,
    data: { choices: choices.slice(0, MAX_CHOICES) },
  });
}

async function choicesFor(
  input: SubcommandInput,
  owner: string,
  deps: ListenerDeps,
): Promise<APIApplicationCommandOptionChoice<string>[]> {
  const typed = input.focused?.value.trim().toLowerCase() ?? '';
  if (input.focused?.name === 'image') {
    return deps.leases
      .images()
      .filter((image) => image.name.includes(typed))
      .map((image) => ({ name: choiceName(image), value: image.name }));
  }
  if (input.focused?.name === 'id') {
    const now = deps.clock.now();
    const actor = deps.leases.actor(owner);
    // An admin's `/lease admin …` is about anyone's leases.
    const all = actor.isAdmin && input.subcommand.startsWith('admin ');
    const leases = await deps.leases.list(actor, { all });
    return leases
      .filter((lease) => lease.id.includes(typed))
      .map((lease) => ({
        name: `${lease.id} · ${lease.imageType} · ends ${relativeTime(lease.expiresAt, now)}`.slice(0, 100),
        value: lease.id,
      }));
  }
  return [];
}
