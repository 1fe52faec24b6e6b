import { isSlow } from '../command-runner.js';
import type { LeaseCommand } from '../grammar/command.js';
import { type Reply, reply } from '../replies/reply.js';
import type { ReplyBuilder } from '../replies/reply-builder.js';

/** What to show at once for a command that may outlast Slack's 3 seconds; undefined for quick ones. */
export function pendingReply(command: LeaseCommand, replies: ReplyBuilder): Reply | undefined {
  if (!isSlow(command)) return undefined;
  if (command.kind === 'provision') return replies.provisioning(command.imageType, command.minutes);
  if (command.kind === 'stop') return reply('info', ['Stopping lease ', { code: command.id }, '…']);
  return reply('info', ['Working on it…']);
}
