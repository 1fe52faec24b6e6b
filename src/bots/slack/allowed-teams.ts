import { ForbiddenError } from '../../core/errors.js';
import { isAllowed } from '../allow-list.js';

/** Where a Slack request comes from: its workspace, and its Enterprise Grid org when there is one. */
export interface SlackPlace {
  readonly team: string | null | undefined;
  readonly enterprise: string | null | undefined;
}

/**
 * The refusal for a request from a workspace that SLACK_ALLOWED_TEAMS does not list, or undefined
 * when it may go on. Slack names the workspace in every command and click, DMs with the app
 * included, so there is no request whose place is unknown. An org id lets in all its workspaces.
 */
export function teamRefusal(allowedTeams: readonly string[], place: SlackPlace): ForbiddenError | undefined {
  if (isAllowed(allowedTeams, [place.team, place.enterprise])) return undefined;
  const named = place.team || place.enterprise || 'unknown';
  return new ForbiddenError(
    `This Slack workspace (${named}) may not use this ContainerLease: it is not in SLACK_ALLOWED_TEAMS. Ask the operator to add it.`,
  );
}
