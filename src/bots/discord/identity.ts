import type { APIInteraction } from 'discord-api-types/v10';
import type { CommandContext } from '../command-runner.js';

/**
 * Who acted and where: owner `discord:<user id>`; notices go to their DMs, falling back to the
 * channel they used. In a server the user is inside `member`, in a DM it is `user`. The server
 * (`guild_id`, absent or empty in a DM) is the lease's team.
 */
export function contextOf(interaction: APIInteraction): CommandContext {
  const user = interaction.member?.user.id ?? interaction.user?.id ?? '';
  const channel = interaction.channel?.id ?? interaction.channel_id;
  const guild = interaction.guild_id || undefined;
  return {
    owner: `discord:${user}`,
    notify: {
      platform: 'discord',
      user,
      ...(channel ? { channel } : {}),
      ...(guild ? { team: guild } : {}),
    },
  };
}
