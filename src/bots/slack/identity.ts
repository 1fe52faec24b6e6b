import type { BlockAction, SlashCommand } from '@slack/bolt';
import type { CommandContext } from '../command-runner.js';

/**
 * Who is asking, as `slack:<team>:<user>`, and where to reach them later: the user (DMs go to them)
 * with their workspace and the channel they asked from.
 */
export function slackContext(team: string, user: string, channel: string | undefined): CommandContext {
  return {
    owner: `slack:${team}:${user}`,
    notify: { platform: 'slack', user, team, ...(channel ? { channel } : {}) },
  };
}

export function commandContext(command: SlashCommand): CommandContext {
  return slackContext(
    command.team_id || command.enterprise_id || 'unknown',
    command.user_id,
    command.channel_id,
  );
}

/** A click's workspace is the message's (`team`); org-wide installs may send only the user's own. */
export function actionContext(body: BlockAction): CommandContext {
  const team = body.team?.id ?? body.user.team_id ?? body.enterprise?.id ?? 'unknown';
  const channel = body.channel?.id ?? stringField(body.container, 'channel_id');
  return slackContext(team, body.user.id, channel);
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}
