import { setImmediate as nextTurn } from 'node:timers/promises';
import type { SlackCommandMiddlewareArgs } from '@slack/bolt';
import { parseCommand } from '../../grammar/parse-command.js';
import type { Reply } from '../../replies/reply.js';
import { settledWithin } from '../../settled-within.js';
import { isSlow } from '../../slow-commands.js';
import { followUp } from '../follow-up.js';
import { commandContext } from '../identity.js';
import { type ListenerDeps, refusal, render, renderAnswer } from './listener-deps.js';

/**
 * `/lease …`: acknowledged at once, so Slack never shows operation_timeout. A slow command (provision,
 * stop, exec) acks with a pending line and replaces it with the result (a command's long output going
 * to the caller's DM as a file); a quick one acks with its answer,
 * or, if the engine is slow today, with nothing and then the answer as a follow-up.
 */
export function commandListener(deps: ListenerDeps) {
  return (args: SlackCommandMiddlewareArgs): Promise<void> => deps.inFlight.track(handle(deps, args));
}

async function handle(
  deps: ListenerDeps,
  { command, ack, respond }: SlackCommandMiddlewareArgs,
): Promise<void> {
  try {
    const refused = refusal(deps, { team: command.team_id, enterprise: command.enterprise_id });
    if (refused) return await ack(render(deps, refused));
    const parsed = parseCommand(command.text);
    if (!parsed.ok) return await ack(render(deps, deps.replies.grammarError(parsed.error)));
    const context = commandContext(command);
    if (isSlow(parsed.value)) {
      await ack(render(deps, deps.replies.pending(parsed.value)));
      // Acks are due in 3 s and the work is not: commands that arrived with this one are acked first.
      await nextTurn();
      const reply = await deps.runner.run(parsed.value, context);
      await followUp(
        respond,
        await renderAnswer(deps, reply, command.user_id),
        { replaceOriginal: true },
        deps.logger,
      );
      return;
    }
    const work = deps.runner.run(parsed.value, context);
    const quick = await settledWithin<Reply>(work, deps.ackBudgetMs);
    if (quick) return await ack(render(deps, quick));
    await ack();
    await followUp(respond, render(deps, await work), { replaceOriginal: false }, deps.logger);
  } catch (error) {
    deps.logger.error({ error: String((error as Error)?.stack ?? error) }, 'Slack command handling failed');
  }
}
