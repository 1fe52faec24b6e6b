import { afterAll, beforeAll, expect, it } from 'vitest';
import { answerWords, BAD_CHAT_TEXTS } from '../bad-input/chat-texts.js';
import { BAD_DISCORD_INTERACTIONS } from '../bad-input/discord-interactions.js';
import { BAD_REST_CASES } from '../bad-input/rest-cases.js';
import { discordSignatureCases, slackSignatureCases } from '../bad-input/signature-cases.js';
import { badLinkTokens } from '../bad-input/token-cases.js';
import { upgradeStatus } from '../bad-input/upgrade-status.js';
import { APP_ID } from '../fakes/discord-payloads.js';
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
/** What an internal error says to the user: never the answer to bad input. */
const INTERNAL = 'Something went wrong';
const IMAGES_REPLY = '· Images you can provision';
/** Discord interaction responses: a message now, or a deferral answered later by an edit. */
const REPLY = 4;
const DEFERRED = 5;
/** The error code each refusal status carries (DESIGN.md's error contract). */
const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'validation',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'validation',
  415: 'validation',
};

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

  /** After every case: the process is alive and still answers over HTTP. */
  async function stillServing(after: string) {
    expect(app.child.exitCode, `process after ${after}`).toBeNull();
    const health = await fetch(`${url}/healthz`);
    expect(health.status, `health after ${after}`).toBe(200);
  }

  /** What a Discord interaction was answered with: the reply's content, or the edit that follows a deferral. */
  async function discordAnswer(
    reply: { type: number; data?: { content?: string } },
    token: string,
    name: string,
  ): Promise<string> {
    if (reply.type !== DEFERRED) return String(reply.data?.content);
    const edit = new RegExp(`^/webhooks/${APP_ID}/${token}/messages/@original$`);
    const edited = await eventually(() => rest.find('PATCH', edit)[0], 10_000, `the edit answering ${name}`);
    return String((edited.body as { content?: string }).content);
  }

  /** No answer to bad input may be an internal failure or show a stack trace. */
  function expectNoFailure(answer: string, label: string) {
    expect(answer, label).not.toMatch(STACK_TRACE);
    expect(answer, label).not.toContain(INTERNAL);
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

  it('GIVEN bad chat texts on the console THEN each gets its own answer, blank lines none, and the console answers after each', async () => {
    for (const test of BAD_CHAT_TEXTS) {
      const line = test.text.replace(/\n/g, ' ');
      const label = JSON.stringify(test.text.slice(0, 40));
      const before = app.stdout.length;
      app.send(line);
      app.send('/lease images');
      await eventually(
        () => app.stdout.indexOf(IMAGES_REPLY, before) >= 0,
        10_000,
        `the console to answer after ${label}`,
      );
      const answer = app.stdout.slice(before, app.stdout.indexOf(IMAGES_REPLY, before));
      // The console skips blank lines (a bare Enter), so they get no answer at all.
      if (line.trim() === '') expect(answer, label).toBe('');
      else for (const word of answerWords(test)) expect(answer, label).toContain(word);
      expectNoFailure(answer, label);
      await stillServing(`console ${label}`);
      cases += 1;
    }
  });

  it('GIVEN bad chat texts from Slack THEN each is acknowledged, and its answer (in the ack or the follow-up) is its own refusal', async () => {
    for (const [index, test] of BAD_CHAT_TEXTS.entries()) {
      const label = JSON.stringify(test.text.slice(0, 40));
      const body = formBody(slashCommand(test.text, ALICE, slack.responseUrl(`bad-${index}`)));
      const response = await fetch(`${url}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': FORM, ...slackSignature(body) },
        body,
      });
      if (response.status >= 500) fiveHundreds.push(`slack ${label}`);
      expect(response.status, label).toBe(200);
      const ack = await response.text();
      const texts = () => [
        ack ? String((JSON.parse(ack) as { text?: string }).text) : '',
        ...slack.callsTo(`/hooks/bad-${index}`).map((call) => String(call.body.text)),
      ];
      const said = await eventually(
        () => answerWords(test).every((word) => texts().join('\n').includes(word)) && texts().join('\n'),
        10_000,
        `the answer to ${label} (so far: ${texts().join(' | ').slice(0, 200)})`,
      );
      expectNoFailure(said, label);
      await stillServing(`Slack ${label}`);
      cases += 1;
    }
  });

  it('GIVEN malformed Discord interactions THEN each is answered 200 with its own refusal, in the reply or the deferred edit', async () => {
    for (const test of BAD_DISCORD_INTERACTIONS) {
      const raw = JSON.stringify(test.interaction);
      const response = await fetch(`${url}/discord/interactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...discordSignature(raw, keys.privateKey) },
        body: raw,
      });
      if (response.status >= 500) fiveHundreds.push(`discord ${test.name}`);
      expect(response.status, test.name).toBe(200);
      const reply = (await response.json()) as { type: number; data?: { content?: string } };
      const token = (test.interaction as { token: string }).token;
      const content = await discordAnswer(reply, token, test.name);
      expect(reply.type, test.name).toBeOneOf([DEFERRED, REPLY]);
      for (const word of answerWords(test)) expect(content, test.name).toContain(word);
      expectNoFailure(content, test.name);
      await stillServing(`Discord ${test.name}`);
      cases += 1;
    }
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
      expect(body.error?.code, test.name).toBe(CODE_BY_STATUS[test.status]);
      expect(body.error?.message?.length, test.name).toBeGreaterThan(10);
      expectNoFailure(body.error?.message ?? '', test.name);
      await stillServing(`REST ${test.name}`);
      cases += 1;
    }
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
      await stillServing(test.name);
      cases += 1;
    }
    expect(slack.calls.length + rest.requests.length).toBe(before);
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
      await stillServing(`link ${test.name}`);
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
      await stillServing(`upgrade ${name}`);
      cases += 1;
    }
    expect(await upgradeStatus(url, `/logs/${lease.id}?token=${valid}`, { origin: url })).toBe(101);
  });
});
