import { createHmac } from 'node:crypto';

/** Requests exactly as Slack sends them: form bodies signed with the app's signing secret (v0 HMAC-SHA256). */

export const SIGNING_SECRET = 'test-signing-secret-8f3a1c';
export const FORM = 'application/x-www-form-urlencoded';
/** The bot token (chat.*, conversations.*) and the app-level token (Socket Mode) the Slack fakes accept. */
export const SLACK_BOT_TOKEN = 'xoxb-test-4f1d2c';
export const SLACK_APP_TOKEN = 'xapp-1-A0LEASE-test';

/** Web API methods that take the app-level token; every other method takes the bot token. */
const APP_TOKEN_METHODS = new Set(['apps.connections.open']);

/**
 * How Slack's Web API answers a call's credentials, as `{ ok: false, error }`'s error: `not_authed`
 * when none was sent (neither `Authorization: Bearer` nor a `token` field), `not_allowed_token_type`
 * for the wrong kind of token, `invalid_auth` for one it does not know; undefined when it is accepted.
 */
export function slackAuthError(
  method: string,
  authorization: string | undefined,
  tokenField: unknown,
  tokens: { readonly bot: string; readonly app: string } = { bot: SLACK_BOT_TOKEN, app: SLACK_APP_TOKEN },
): 'not_authed' | 'invalid_auth' | 'not_allowed_token_type' | undefined {
  const sent =
    authorization?.match(/^Bearer (.+)$/)?.[1] ?? (typeof tokenField === 'string' ? tokenField : '');
  if (!sent) return 'not_authed';
  const wanted = APP_TOKEN_METHODS.has(method) ? tokens.app : tokens.bot;
  if (sent === wanted) return undefined;
  return sent === tokens.app || sent === tokens.bot ? 'not_allowed_token_type' : 'invalid_auth';
}

export interface SlackUser {
  readonly team: string;
  readonly user: string;
  readonly channel: string;
}

export const ALICE: SlackUser = { team: 'T0ACME', user: 'U0ALICE', channel: 'C0GENERAL' };
export const BOB: SlackUser = { team: 'T0ACME', user: 'U0BOB', channel: 'C0GENERAL' };

/** `X-Slack-Request-Timestamp` and `X-Slack-Signature` for a raw body. */
export function slackSignature(
  body: string,
  options: { secret?: string; timestamp?: number } = {},
): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const hmac = createHmac('sha256', options.secret ?? SIGNING_SECRET)
    .update(`v0:${timestamp}:${body}`)
    .digest('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${hmac}` };
}

/** The fields of a slash command (`/lease <text>`), as Slack posts them. */
export function slashCommand(text: string, who: SlackUser, responseUrl: string): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: who.team,
    team_domain: 'acme',
    channel_id: who.channel,
    channel_name: 'general',
    user_id: who.user,
    user_name: who.user.toLowerCase(),
    command: '/lease',
    text,
    api_app_id: 'A0LEASE',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: '13345224609.738474920.8088930838d88f008e0',
  };
}

export interface ClickedButton {
  readonly actionId: string;
  readonly blockId: string;
  readonly value?: string;
  readonly url?: string;
  readonly text?: string;
}

/** A `block_actions` payload: one button clicked on an ephemeral message. */
export function blockActions(button: ClickedButton, who: SlackUser, responseUrl: string) {
  return {
    type: 'block_actions',
    user: { id: who.user, username: who.user.toLowerCase(), name: who.user.toLowerCase(), team_id: who.team },
    api_app_id: 'A0LEASE',
    token: 'deprecated-verification-token',
    container: {
      type: 'message',
      message_ts: '1764417600.000200',
      channel_id: who.channel,
      is_ephemeral: true,
    },
    trigger_id: '12466734323.1395872398',
    team: { id: who.team, domain: 'acme' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: who.channel, name: 'general' },
    state: { values: {} },
    response_url: responseUrl,
    actions: [
      {
        action_id: button.actionId,
        block_id: button.blockId,
        text: { type: 'plain_text', text: button.text ?? 'Button', emoji: true },
        ...(button.value === undefined ? {} : { value: button.value }),
        ...(button.url === undefined ? {} : { url: button.url }),
        type: 'button',
        action_ts: '1764417612.840180',
      },
    ],
  };
}

/** A form body: slash commands post their fields; interactions post one `payload` field of JSON. */
export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export function interactionBody(payload: object): string {
  return formBody({ payload: JSON.stringify(payload) });
}
