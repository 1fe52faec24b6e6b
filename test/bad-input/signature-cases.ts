import type { KeyObject } from 'node:crypto';
import { discordKeyPair, discordSignature } from '../fakes/discord-signing.js';
import { ALICE, FORM, formBody, slackSignature, slashCommand } from '../fakes/slack-wire.js';

/** A signed-endpoint request that must be refused (401) without running anything. */
export interface SignatureCase {
  readonly name: string;
  readonly path: '/slack/events' | '/discord/interactions';
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly status: number;
}

const now = () => Math.floor(Date.now() / 1000);

export function slackSignatureCases(secret: string, responseUrl: string): SignatureCase[] {
  const body = formBody(slashCommand('list', ALICE, responseUrl));
  const good = slackSignature(body, { secret });
  const slack = (
    name: string,
    headers: Record<string, string>,
    sent = body,
    status = 401,
  ): SignatureCase => ({
    name: `Slack: ${name}`,
    path: '/slack/events',
    headers: { 'content-type': FORM, ...headers },
    body: sent,
    status,
  });
  return [
    slack('no signature headers', {}),
    slack('a signature from another secret', slackSignature(body, { secret: 'not-the-signing-secret' })),
    slack(
      'a signature over another body',
      good,
      formBody(slashCommand('stop 7k2m9x4qpz', ALICE, responseUrl)),
    ),
    slack('a truncated signature', {
      ...good,
      'x-slack-signature': (good['x-slack-signature'] ?? '').slice(0, 20),
    }),
    slack('a signature without its v0= prefix', {
      ...good,
      'x-slack-signature': (good['x-slack-signature'] ?? '').slice(3),
    }),
    slack('an empty signature', { ...good, 'x-slack-signature': '' }),
    slack('a signature of the wrong length', { ...good, 'x-slack-signature': 'v0=abcd' }),
    slack('a timestamp six minutes old (a replay)', slackSignature(body, { secret, timestamp: now() - 360 })),
    slack('a timestamp a day old', slackSignature(body, { secret, timestamp: now() - 86_400 })),
    slack('a timestamp that is not a number', { ...good, 'x-slack-request-timestamp': 'yesterday' }),
    slack('a signature with a timestamp header swapped', {
      ...good,
      'x-slack-request-timestamp': String(now() - 1),
    }),
    slack('an uppercase hex signature', {
      ...good,
      'x-slack-signature': (good['x-slack-signature'] ?? '').toUpperCase(),
    }),
    slack('a body with a byte appended', good, `${body}&`),
    slack(
      'a JSON payload signed for another secret',
      slackSignature('{"type":"url_verification"}', { secret: 'x' }),
      '{"type":"url_verification"}',
    ),
    slack('no body at all', slackSignature('', { secret: 'x' }), ''),
  ];
}

export function discordSignatureCases(key: KeyObject): SignatureCase[] {
  const ping = JSON.stringify({ id: '1', application_id: '1', type: 1, token: 't', version: 1 });
  const other = discordKeyPair().privateKey;
  const good = discordSignature(ping, key);
  const discord = (
    name: string,
    headers: Record<string, string>,
    sent = ping,
    status = 401,
  ): SignatureCase => ({
    name: `Discord: ${name}`,
    path: '/discord/interactions',
    headers: { 'content-type': 'application/json', ...headers },
    body: sent,
    status,
  });
  return [
    discord('no signature headers', {}),
    discord('a signature from another key (Discord probes with these)', discordSignature(ping, other)),
    discord('a signature over another body', good, ping.replace('"type":1', '"type":2')),
    discord('a truncated signature', {
      ...good,
      'x-signature-ed25519': (good['x-signature-ed25519'] ?? '').slice(0, 64),
    }),
    discord('a signature that is not hex', { ...good, 'x-signature-ed25519': 'z'.repeat(128) }),
    discord('an empty signature', { ...good, 'x-signature-ed25519': '' }),
    discord('a changed timestamp', { ...good, 'x-signature-timestamp': String(now() + 1) }),
    discord('a missing timestamp', { 'x-signature-ed25519': good['x-signature-ed25519'] ?? '' }),
    discord('a body with a space appended', good, `${ping} `),
    discord('a huge signature header', { ...good, 'x-signature-ed25519': 'a'.repeat(8000) }),
    discord('a timestamp six minutes old (a replay)', discordSignature(ping, key, now() - 360)),
    discord('a timestamp a day old', discordSignature(ping, key, now() - 86_400)),
    discord('a timestamp six minutes ahead', discordSignature(ping, key, now() + 360)),
    discord('a timestamp that is not a number, signed with it', discordSignature(ping, key, 'yesterday')),
  ];
}
