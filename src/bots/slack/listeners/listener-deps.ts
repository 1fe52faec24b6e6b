import type { Logger } from '../../../core/ports/logger.js';
import type { CommandRunner } from '../../command-runner.js';
import type { Reply } from '../../replies/reply.js';
import type { ReplyBuilder } from '../../replies/reply-builder.js';
import type { InFlight } from '../in-flight.js';
import { renderReply, type SlackMessage } from '../render/message.js';

/** What the `/lease` and button listeners share. */
export interface ListenerDeps {
  readonly runner: CommandRunner;
  readonly replies: ReplyBuilder;
  readonly logger: Logger;
  readonly inFlight: InFlight;
  readonly now: () => number;
  /** How long a quick command may run before its ack goes out without the answer. */
  readonly ackBudgetMs: number;
}

export function render(deps: ListenerDeps, reply: Reply): SlackMessage {
  return renderReply(reply, deps.now());
}

/** A reply as the body of an ack: shown at once, to the caller only. */
export function ackMessage(deps: ListenerDeps, reply: Reply) {
  return { response_type: 'ephemeral' as const, ...render(deps, reply) };
}
