import { type APIInteraction, InteractionType } from 'discord-api-types/v10';
import { ForbiddenError } from '../../core/errors.js';
import { isAllowed } from '../allow-list.js';

/**
 * The refusal for an interaction that DISCORD_ALLOWED_GUILDS does not let in, or undefined when it
 * may go on.
 *
 * In a server, Discord names it (`guild_id`) and the list decides. A DM names no server, and
 * anyone who shares any server with the bot (one the operator did not allow included) can open a
 * DM with it, so with a list set, commands in DMs are refused: a DM could otherwise start a lease
 * from outside the allowed servers. Buttons in DMs still work: each acts on one lease and only for
 * its owner (the service checks), who got it in an allowed server, and the warning DMs the bot
 * sends carry Extend buttons that must keep working.
 */
export function guildRefusal(
  allowedGuilds: readonly string[],
  interaction: APIInteraction,
): ForbiddenError | undefined {
  // Discord leaves guild_id out of a DM; an empty or null one names no server either.
  const guild = interaction.guild_id || undefined;
  if (guild !== undefined) {
    if (isAllowed(allowedGuilds, [guild])) return undefined;
    return new ForbiddenError(
      `This Discord server (${guild}) may not use this ContainerLease: it is not in DISCORD_ALLOWED_GUILDS. Ask the operator to add it.`,
    );
  }
  if (allowedGuilds.length === 0 || interaction.type === InteractionType.MessageComponent) return undefined;
  return new ForbiddenError(
    'This ContainerLease takes /lease commands only in the servers it serves (DISCORD_ALLOWED_GUILDS), not in direct messages: run /lease there.',
  );
}
