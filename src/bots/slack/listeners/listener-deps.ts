import type { Logger } from '../../../core/ports/logger.js';
import type { CommandRunner } from '../../command-runner.js';
import type { InFlight } from '../../in-flight.js';
import { lineToText } from '../../replies/plain-text.js';
import type { Reply } from '../../replies/reply.js';
import type { ReplyBuilder } from '../../replies/reply-builder.js';
import { type SlackPlace, teamRefusal } from '../allowed-teams.js';
import { renderResponse, type SlackResponse } from '../render/message.js';
import { outputFits } from '../render/output-blocks.js';
import type { OutputFiles } from './output-file.js';

/** What the `/lease` and button listeners share. */
export interface ListenerDeps {
  readonly runner: CommandRunner;
  readonly replies: ReplyBuilder;
  readonly logger: Logger;
  readonly inFlight: InFlight;
  readonly now: () => number;
  /** How long a quick command may run before its ack goes out without the answer. */
  readonly ackBudgetMs: number;
  /** SLACK_ALLOWED_TEAMS; empty: every workspace. */
  readonly allowedTeams: readonly string[];
  /** Sends a command's output too long for a message into the caller's DM. */
  readonly files: OutputFiles;
}

/** A reply as an answer to the caller: the body of an ack, or of a response_url follow-up. */
export function render(deps: ListenerDeps, reply: Reply): SlackResponse {
  return renderResponse(reply, deps.now());
}

/** The refusal for a request from a workspace that may not use the bot (logged); undefined to go on. */
export function refusal(deps: ListenerDeps, place: SlackPlace): Reply | undefined {
  const refused = teamRefusal(deps.allowedTeams, place);
  if (!refused) return undefined;
  deps.logger.warn(
    { team: place.team, enterprise: place.enterprise },
    'Slack request from a workspace not in SLACK_ALLOWED_TEAMS refused',
  );
  return deps.replies.error(refused);
}

/** A command's final answer for `user`: an output too long for a message goes to their DM as a file first. */
export async function renderAnswer(deps: ListenerDeps, reply: Reply, user: string): Promise<SlackResponse> {
  if (!reply.output || outputFits(reply.output)) return render(deps, reply);
  const title = lineToText(reply.title, { now: deps.now() });
  const file = await deps.files.sendToDm(user, reply.output, title);
  return renderResponse(reply, deps.now(), file);
}
