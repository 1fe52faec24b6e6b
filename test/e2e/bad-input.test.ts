import { afterAll, beforeAll, expect, it } from 'vitest';
import { BAD_CHAT_TEXTS } from '../bad-input/chat-texts.js';
import { BAD_REST_CASES } from '../bad-input/rest-cases.js';
import { discordSignatureCases, slackSignatureCases } from '../bad-input/signature-cases.js';
import { badLinkTokens } from '../bad-input/token-cases.js';
import { upgradeStatus } from '../bad-input/upgrade-status.js';
import { APP_ID, slashCommand as discordCommand } from '../fakes/discord-payloads.js';
import { DiscordRestFake } from '../fakes/discord-rest-fake.js';
import { discordKeyPair, discordSignature } from '../fakes/discord-signing.js';
import { SlackWebApiFake } from '../fakes/slack-web-api-fake.js';
import {
  ALICE,
  FORM,
  formBody,
  SIGNING_SECRET,
  SLACK_BOT_TOKEN,
  slackSignature,
  slashCommand,
} from '../fakes/slack-wire.js';
import { type AppProcess, startTestApp } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { describeWith } from '../support/services.js';

const TOKEN = 'bad-input-token-0123456789';
const LINK_SECRET = 'bad-input-link-secret-0123456789abcdef';
const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

/**
 * The bad-input corpus against the built product with every surface on: chat texts (console and
 * Slack), REST bodies, signatures, link tokens and WebSocket upgrades. Each gets a clear 4xx or a
 * friendly chat error, the process never answers 500 to input, never crashes, and keeps serving.
 */
describeWith({ redis: true, docker: true })('bad input, at least 200 cases, against every surface', () => {
  const keys = discordKeyPair();
  let slack: SlackWebApiFake;
  let rest: DiscordRestFake;
  let run: ReturnType<typeof startTestApp>;
  let app: AppProcess;
  let url: string;
  let cases = 0;
  const fiveHundreds: string[] = [];

  const api = (path: string, init: RequestInit = {}, anonymous = false) =>
    fetch(`${url}${path}`, {
      ...init,
      headers: {
        ...(anonymous ? {} : { authorization: `Bearer ${TOKEN}` }),
        ...(init.headers as Record<string, string>),
      },
    });

  /** After every case: the process still answers. */
  async function stillServing(after: string) {
    const health = await fetch(`${url}/healthz`);
    expect(health.status, `health after ${after}`).toBe(200);
    expect(app.child.exitCode, `process after ${after}`).toBeNull();
  }

  beforeAll(async () => {
    slack = await SlackWebApiFake.start();
    rest = await DiscordRestFake.start();
    run = startTestApp(['--console'], {
      API_TOKENS: `bad-input=${TOKEN}`,
      LINK_SECRET,
      SLACK_BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: `${slack.origin}/api`,
      DISCORD_APPLICATION_ID: APP_ID,
      DISCORD_PUBLIC_KEY: keys.publicKeyHex,
      DISCORD_API_URL: rest.api,
    });
    app = run.app;
    url = await run.url();
  });

  afterAll(async () => {
    app.child.stdin.end();
    expect(await app.exited).toBe(0);
    expect(fiveHundreds).toEqual([]);
    expect(cases).toBeGreaterThanOrEqual(200);
    await Promise.all([slack.close(), rest.close()]);
    await run.clean();
  });

  it('GIVEN bad chat texts on the console THEN each gets one friendly reply, never a stack trace', async () => {
    for (const text of BAD_CHAT_TEXTS) {
      const before = app.stdout.length;
      app.send(`${text.replace(/\n/g, ' ')}\n/lease images`);
      await eventually(
        () => app.stdout.slice(before).includes('Images you can provision'),
        10_000,
        `a reply to ${JSON.stringify(text.slice(0, 40))}`,
      );
      const replies = app.stdout.slice(before);
      expect(replies).not.toMatch(STACK_TRACE);
      expect(replies).not.toContain('Something went wrong on our side');
      cases += 1;
    }
    await stillServing('the console texts');
  });

  it('GIVEN bad chat texts from Slack THEN each is acknowledged with a friendly answer, never a 500', async () => {
    for (const [index, text] of BAD_CHAT_TEXTS.entries()) {
      const body = formBody(slashCommand(text, ALICE, slack.responseUrl(`bad-${index}`)));
      const response = await fetch(`${url}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': FORM, ...slackSignature(body) },
        body,
      });
      if (response.status >= 500) fiveHundreds.push(`slack ${JSON.stringify(text.slice(0, 40))}`);
      expect(response.status, JSON.stringify(text.slice(0, 40))).toBe(200);
      const ack = await response.text();
      const followUps = () => slack.callsTo(`/hooks/bad-${index}`).map((call) => JSON.stringify(call.body));
      const answered = ack.length > 0 || followUps().length > 0;
      if (!answered)
        await eventually(
          () => followUps().length > 0,
          10_000,
          `the answer to ${JSON.stringify(text.slice(0, 40))}`,
        );
      expect(`${ack} ${followUps().join(' ')}`).not.toMatch(STACK_TRACE);
      cases += 1;
    }
    await stillServing('the Slack texts');
  });

  it('GIVEN malformed Discord interactions THEN each is answered without a 500', async () => {
    const interactions = [
      discordCommand('provision', { image: 'windows', minutes: 30 }),
      discordCommand('provision', { image: 'busybox', minutes: -5 }),
      discordCommand('provision', { image: 'busybox', minutes: 10_000_000 }),
      discordCommand('provision', {}),
      discordCommand('stop', { id: '../../etc' }),
      discordCommand('extend', { id: '7k2m9x4qpz', minutes: 0 }),
      discordCommand('logs', { id: '' }),
      discordCommand('nonsense', {}),
      { ...discordCommand('list'), data: { name: 'lease', type: 1, options: [] } },
      { ...discordCommand('list'), type: 99 },
    ];
    for (const interaction of interactions) {
      const raw = JSON.stringify(interaction);
      const response = await fetch(`${url}/discord/interactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...discordSignature(raw, keys.privateKey) },
        body: raw,
      });
      if (response.status >= 500) fiveHundreds.push(`discord ${raw.slice(0, 80)}`);
      expect(response.status).toBeLessThan(500);
      cases += 1;
    }
    await stillServing('the Discord interactions');
  });

  it('GIVEN bad REST requests THEN each gets its 4xx with a JSON error naming the problem', async () => {
    for (const test of BAD_REST_CASES) {
      const response = await api(
        test.path,
        { method: test.method, body: test.body, headers: test.headers },
        test.anonymous,
      );
      if (response.status >= 500) fiveHundreds.push(`REST ${test.name}`);
      expect(response.status, test.name).toBe(test.status);
      const body = (await response.json()) as { error?: { code?: string; message?: string } };
      expect(body.error?.code, test.name).toEqual(expect.any(String));
      expect(body.error?.message?.length, test.name).toBeGreaterThan(10);
      cases += 1;
    }
    await stillServing('the REST requests');
  });

  it('GIVEN forged, stale, replayed and truncated signatures THEN 401 and nothing runs', async () => {
    const before = slack.calls.length + rest.requests.length;
    for (const test of [
      ...slackSignatureCases(SIGNING_SECRET, slack.responseUrl('forged')),
      ...discordSignatureCases(keys.privateKey),
    ]) {
      const response = await fetch(`${url}${test.path}`, {
        method: 'POST',
        headers: test.headers,
        body: test.body,
      });
      if (response.status >= 500) fiveHundreds.push(test.name);
      expect(response.status, test.name).toBe(test.status);
      cases += 1;
    }
    expect(slack.calls.length + rest.requests.length).toBe(before);
    await stillServing('the signatures');
  });

  it('GIVEN bad link tokens and WebSocket upgrades THEN refused before anything is shown or accepted', async () => {
    const provisioned = await api('/api/provision', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ imageType: 'busybox', durationMinutes: 5 }),
    });
    expect(provisioned.status).toBe(201);
    const lease = (await provisioned.json()) as { id: string; logsUrl: string };
    const owner = 'api:bad-input';
    for (const test of badLinkTokens(LINK_SECRET, lease.id, owner)) {
      const page = await fetch(`${url}/logs/${test.leaseId}?token=${encodeURIComponent(test.token)}`, {
        redirect: 'manual',
      });
      if (page.status >= 500) fiveHundreds.push(`link ${test.name}`);
      expect(page.status, `link ${test.name}`).toBeGreaterThanOrEqual(400);
      expect(page.headers.get('set-cookie'), `link ${test.name}`).toBeNull();
      const socket = await upgradeStatus(
        url,
        `/logs/${test.leaseId}?token=${encodeURIComponent(test.token)}`,
        { origin: url },
      );
      expect([401, 403, 404, 400], `upgrade ${test.name}`).toContain(socket);
      cases += 2;
    }
    const valid = new URL(lease.logsUrl).searchParams.get('token') ?? '';
    const upgrades: Array<[string, string, Record<string, string>, number]> = [
      ['no token', `/logs/${lease.id}`, { origin: url }, 401],
      ['a wrong Origin', `/logs/${lease.id}?token=${valid}`, { origin: 'https://evil.example' }, 403],
      ['a null Origin', `/logs/${lease.id}?token=${valid}`, { origin: 'null' }, 403],
      [
        'an Origin on another port',
        `/logs/${lease.id}?token=${valid}`,
        { origin: `${url.replace(/:\d+$/, '')}:1` },
        403,
      ],
      ['another path', `/ws?token=${valid}`, { origin: url }, 404],
      ['a deeper path', `/logs/${lease.id}/x?token=${valid}`, { origin: url }, 404],
      ['a token for another lease', `/logs/zzzzzzzzzz?token=${valid}`, { origin: url }, 403],
      ['a forged cookie', `/logs/${lease.id}`, { origin: url, cookie: 'cl_session=v1.AAAA.BBBB' }, 401],
    ];
    for (const [name, path, headers, status] of upgrades) {
      const got = await upgradeStatus(url, path, headers);
      if (got >= 500) fiveHundreds.push(`upgrade ${name}`);
      expect(got, `upgrade ${name}`).toBe(status);
      cases += 1;
    }
    expect(await upgradeStatus(url, `/logs/${lease.id}?token=${valid}`, { origin: url })).toBe(101);
    await stillServing('the tokens and upgrades');
  });
});
