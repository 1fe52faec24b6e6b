import type { BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { decodeAction } from '../../actions.js';
import { settledWithin } from '../../settled-within.js';
import { isSlow } from '../../slow-commands.js';
import { followUp } from '../follow-up.js';
import { actionContext } from '../identity.js';
import { isAboutOneLease } from '../render/block-ids.js';
import { LINK_ACTION_PREFIX } from '../render/buttons.js';
import { type ListenerDeps, refusal, render } from './listener-deps.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction>;

/**
 * Every button click is acknowledged first, link buttons included (Slack shows a warning icon on a
 * link whose click goes unanswered). Extend and Stop then run as their owner's command; the result
 * replaces a message about that one lease, or arrives as a new ephemeral message. A refusal (say,
 * someone else's lease) never replaces anything: it goes, politely, to whoever clicked.
 */
export function actionListener(deps: ListenerDeps) {
  return (args: ButtonArgs): Promise<void> => deps.inFlight.track(handle(deps, args));
}

async function handle(deps: ListenerDeps, { ack, action, body, respond }: ButtonArgs): Promise<void> {
  try {
    await ack();
    if (action.type !== 'button' || isLink(action)) return;
    if (!body.response_url) {
      deps.logger.warn({ actionId: action.action_id }, 'Slack button click without a response_url; ignored');
      return;
    }
    const refused = refusal(deps, {
      team: body.team?.id ?? body.user.team_id,
      enterprise: body.enterprise?.id,
    });
    if (refused) {
      await followUp(respond, render(deps, refused), { replaceOriginal: false }, deps.logger);
      return;
    }
    const decoded = decodeAction(action.action_id);
    if (!decoded.ok) {
      const refusal = render(deps, deps.replies.grammarError(decoded.error));
      await followUp(respond, refusal, { replaceOriginal: false }, deps.logger);
      return;
    }
    const aboutOneLease = isAboutOneLease(action.block_id);
    const command = decoded.value;
    const work = deps.runner.run(command, actionContext(body));
    // A slow Stop shows "Stopping…" in the meantime; a quick answer (a refusal, say) comes alone.
    let replaced = false;
    if (isSlow(command) && (await settledWithin(work, deps.ackBudgetMs)) === undefined) {
      const shown = await followUp(
        respond,
        render(deps, deps.replies.pending(command)),
        { replaceOriginal: aboutOneLease },
        deps.logger,
      );
      replaced = shown && aboutOneLease;
    }
    const reply = await work;
    const replaceOriginal = replaced || (aboutOneLease && reply.tone !== 'error');
    await followUp(respond, render(deps, reply), { replaceOriginal }, deps.logger);
  } catch (error) {
    deps.logger.error({ error: String((error as Error)?.stack ?? error) }, 'Slack button handling failed');
  }
}

/** A link button's click carries its url; its action id says so too, should a client leave the url out. */
function isLink(action: { action_id: string; url?: string }): boolean {
  return action.url !== undefined || action.action_id.startsWith(LINK_ACTION_PREFIX);
}
