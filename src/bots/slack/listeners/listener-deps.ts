import type { Logger } from '../../../core/ports/logger.js';
import type { CommandRunner } from '../../command-runner.js';
import type { InFlight } from '../../in-flight.js';
import type { Reply } from '../../replies/reply.js';
import type { ReplyBuilder } from '../../replies/reply-builder.js';
import { renderResponse, type SlackResponse } from '../render/message.js';

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

/** A reply as an answer to the caller: the body of an ack, or of a response_url follow-up. */
export function render(deps: ListenerDeps, reply: Reply): SlackResponse {
  return renderResponse(reply, deps.now());
}
