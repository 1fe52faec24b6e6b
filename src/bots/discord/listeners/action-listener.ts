import type { APIMessageComponentInteraction } from 'discord-api-types/v10';
import { asCodedError } from '../../../core/errors.js';
import type { Reply } from '../../replies/reply.js';
import { contextOf } from '../identity.js';
import { keptMessage, readButton, stopQuestion } from '../render/button-ids.js';
import { renderReply } from '../render/message.js';
import {
  deferredResponse,
  deferredUpdate,
  messageResponse,
  type Responder,
  updateResponse,
} from '../responder.js';
import type { ListenerDeps } from './listener-deps.js';

/**
 * A pressed button. Extend (and a confirmed stop) acknowledge with a deferred update, run, and
 * edit the message the button is on; a refusal (someone else's lease) comes as an ephemeral
 * follow-up, so the shared message stays as it was. Stop first asks, ephemerally.
 */
export async function answerButton(
  interaction: APIMessageComponentInteraction,
  responder: Responder,
  deps: ListenerDeps,
): Promise<void> {
  const intent = readButton(interaction.data.custom_id);
  const context = contextOf(interaction);
  switch (intent.kind) {
    case 'invalid':
      await responder.ack(messageResponse(renderReply(deps.replies.grammarError(intent.error)), true));
      return;
    case 'keep':
      await responder.ack(updateResponse(keptMessage(intent.leaseId)));
      return;
    case 'ask-stop': {
      await responder.ack(deferredResponse(true));
      const refusal = await refusalFor(deps, context.owner, intent.leaseId);
      await responder.edit(refusal ? renderReply(refusal) : stopQuestion(intent.leaseId));
      return;
    }
    case 'run': {
      await responder.ack(deferredUpdate);
      const reply = await deps.runner.run(intent.command, context);
      // A confirmed stop answers on its own ephemeral question; anything else keeps the message on error.
      if (reply.tone === 'error' && intent.command.kind !== 'stop') {
        await responder.followUp(renderReply(reply), true);
      } else {
        await responder.edit(renderReply(reply));
      }
      return;
    }
  }
}

/** Why the presser may not stop this lease (not theirs, or gone), before asking them to confirm. */
async function refusalFor(deps: ListenerDeps, owner: string, leaseId: string): Promise<Reply | undefined> {
  try {
    await deps.leases.get(deps.leases.actor(owner), leaseId);
    return undefined;
  } catch (error) {
    const coded = asCodedError(error);
    if (coded.code === 'internal')
      deps.logger.error({ owner, leaseId, error: String(error) }, 'lease look-up failed');
    return deps.replies.error(coded);
  }
}
