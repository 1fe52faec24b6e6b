import { err, ok, type Result } from '../core/result.js';
import type { GrammarError, LeaseCommand } from './grammar/command.js';
import { parseMinutes } from './grammar/parse-command.js';
import type { ReplyAction } from './replies/reply.js';

/**
 * Button ids: `lease:extend:<id>:<minutes>` and `lease:stop:<id>`. At most 40 characters, inside
 * Discord's 100-character custom id and Slack's 255-character action id.
 */
export function encodeAction(action: Exclude<ReplyAction, { kind: 'link' }>): string {
  return action.kind === 'extend'
    ? `lease:extend:${action.leaseId}:${action.minutes}`
    : `lease:stop:${action.leaseId}`;
}

/** The command a pressed button stands for; anything else is refused like mistyped text. */
export function decodeAction(actionId: string): Result<LeaseCommand, GrammarError> {
  const [prefix, verb, id, minutesText, ...rest] = actionId.slice(0, 200).split(':');
  if (prefix !== 'lease' || !id || rest.length > 0)
    return err({ identifier: 'unknown_command', word: actionId.slice(0, 40) });
  if (verb === 'stop' && minutesText === undefined) return ok({ kind: 'stop', id });
  if (verb === 'extend' && minutesText !== undefined) {
    const minutes = parseMinutes(minutesText);
    if (minutes === undefined)
      return err({ identifier: 'invalid_minutes', command: 'extend', value: minutesText });
    return ok({ kind: 'extend', id, minutes });
  }
  return err({ identifier: 'unknown_command', word: actionId.slice(0, 40) });
}
