import type { APIInteraction } from 'discord.js';
import type { CommandContext } from '../command-runner.js';

/**
 * Who acted and where: owner `discord:<user id>`; notices go to their DMs, falling back to the
 * channel they used. In a server the user is inside `member`, in a DM it is `user`.
 */
export function contextOf(interaction: APIInteraction): CommandContext {
  const user = interaction.member?.user.id ?? interaction.user?.id ?? '';
  const channel = interaction.channel?.id ?? interaction.channel_id;
  return {
    owner: `discord:${user}`,
    notify: channel ? { platform: 'discord', user, channel } : { platform: 'discord', user },
  };
}
