import { createHmac } from 'node:crypto';

/** Requests exactly as Slack sends them: form bodies signed with the app's signing secret (v0 HMAC-SHA256). */

export const SIGNING_SECRET = 'test-signing-secret-8f3a1c';
export const FORM = 'application/x-www-form-urlencoded';

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
