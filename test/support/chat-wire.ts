import type { KeyObject } from 'node:crypto';
import { APP_ID } from '../fakes/discord-payloads.js';
import type { DiscordRestFake } from '../fakes/discord-rest-fake.js';
import { discordSignature } from '../fakes/discord-signing.js';
import type { SlackWebApiFake } from '../fakes/slack-web-api-fake.js';
import {
  ALICE,
  FORM,
  formBody,
  SIGNING_SECRET,
  SLACK_BOT_TOKEN,
  type SlackUser,
  slackSignature,
  slashCommand,
} from '../fakes/slack-wire.js';

/** The variables that point the built product's Slack front-end (HTTP mode) at the Web API fake. */
export function slackFakeEnv(slack: SlackWebApiFake): Record<string, string> {
  return {
    SLACK_BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: `${slack.origin}/api`,
  };
}

/** The variables that point the built product's Discord front-end at the REST fake; with a key, HTTP interactions too. */
export function discordFakeEnv(
  rest: DiscordRestFake,
  keys?: { readonly publicKeyHex: string },
): Record<string, string> {
  return {
    DISCORD_APPLICATION_ID: APP_ID,
    DISCORD_API_URL: rest.api,
    ...(keys ? { DISCORD_PUBLIC_KEY: keys.publicKeyHex } : {}),
  };
}

/** Sends `/lease <text>` as Slack does: a signed form post to the product's events endpoint. */
export function postSlashCommand(
  url: string,
  text: string,
  responseUrl: string,
  who: SlackUser = ALICE,
): Promise<Response> {
  const body = formBody(slashCommand(text, who, responseUrl));
  return fetch(`${url}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': FORM, ...slackSignature(body) },
    body,
  });
}

/** Sends an interaction as Discord does: signed JSON to the product's interactions endpoint. */
export function postInteraction(url: string, interaction: object, privateKey: KeyObject): Promise<Response> {
  const raw = JSON.stringify(interaction);
  return fetch(`${url}/discord/interactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...discordSignature(raw, privateKey) },
    body: raw,
  });
}
