import { z } from 'zod';
import { type Env, readVariables, type VariableTable } from '../../core/config/read-variables.js';
import { commaList, httpUrl } from '../../core/config/schemas.js';
import { ConfigError } from '../../core/errors.js';

/** The Slack app's settings: set SLACK_BOT_TOKEN and the product answers `/lease` in Slack. */
export interface SlackConfig {
  readonly botToken: string;
  readonly signingSecret: string | undefined;
  /** Set: Socket Mode. Unset: HTTP at /slack/events. */
  readonly appToken: string | undefined;
  readonly apiUrl: string;
  /** Workspace (T…) or Enterprise org (E…) ids whose people may use the bot; empty: any. */
  readonly allowedTeams: readonly string[];
}

export const SLACK_VARIABLES = {
  SLACK_BOT_TOKEN: [z.string().startsWith('xoxb-').optional(), 'a bot token starting with xoxb-'],
  SLACK_SIGNING_SECRET: [z.string().min(8).optional(), "the app's signing secret"],
  SLACK_APP_TOKEN: [z.string().startsWith('xapp-').optional(), 'an app-level token starting with xapp-'],
  SLACK_ALLOWED_TEAMS: [
    commaList.refine((ids) => ids.every((id) => /^[TE][A-Z0-9]{2,20}$/.test(id))).default([]),
    'Slack workspace ids (T…) or Enterprise org ids (E…) separated by commas, e.g. T0123ABCD',
  ],
  SLACK_API_URL: [httpUrl.default('https://slack.com/api'), 'the base URL of the Slack Web API'],
} as const satisfies VariableTable;

/** Reads the SLACK_ variables; undefined when Slack is not configured. Throws a ConfigError naming the variable. */
export function loadSlackConfig(env: Env = process.env): SlackConfig | undefined {
  const v = readVariables(SLACK_VARIABLES, env);
  if (v.SLACK_BOT_TOKEN && !v.SLACK_APP_TOKEN && !v.SLACK_SIGNING_SECRET)
    throw new ConfigError(
      'SLACK_SIGNING_SECRET must be set when SLACK_BOT_TOKEN is set without SLACK_APP_TOKEN (HTTP mode)',
    );
  if ((v.SLACK_APP_TOKEN || v.SLACK_SIGNING_SECRET) && !v.SLACK_BOT_TOKEN)
    throw new ConfigError('SLACK_BOT_TOKEN must be set when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set');
  if (!v.SLACK_BOT_TOKEN) return undefined;
  return {
    botToken: v.SLACK_BOT_TOKEN,
    signingSecret: v.SLACK_SIGNING_SECRET,
    appToken: v.SLACK_APP_TOKEN,
    apiUrl: v.SLACK_API_URL,
    allowedTeams: v.SLACK_ALLOWED_TEAMS,
  };
}
