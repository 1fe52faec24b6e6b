import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BAD_ADMIN_CASES } from '../bad-input/admin-cases.js';
import { answerWords, BAD_CHAT_TEXTS } from '../bad-input/chat-texts.js';
import { BAD_DISCORD_INTERACTIONS } from '../bad-input/discord-interactions.js';
import { badLinkUses } from '../bad-input/link-cases.js';
import {
  CONNECTION_CASES,
  logSocketStates,
  provisionLease,
  type SocketState,
  sendFrames,
  timingsOf,
} from '../bad-input/log-socket-states.js';
import { badPortRequests } from '../bad-input/port-cases.js';
import { BAD_REST_CASES } from '../bad-input/rest-cases.js';
import { discordSignatureCases, slackSignatureCases } from '../bad-input/signature-cases.js';
import {
  TERMINAL_FRAMES,
  terminalSocketStates,
  terminalUpgradeRefusals,
} from '../bad-input/terminal-socket-cases.js';
import { badLinkTokens } from '../bad-input/token-cases.js';
import { upgradeStatus } from '../bad-input/upgrade-status.js';
import { BAD_FRAMES } from '../bad-input/websocket-frames.js';
import { APP_ID } from '../fakes/discord-payloads.js';
import { DiscordRestFake } from '../fakes/discord-rest-fake.js';
import { discordKeyPair } from '../fakes/discord-signing.js';
import { SlackWebApiFake } from '../fakes/slack-web-api-fake.js';
import { SIGNING_SECRET } from '../fakes/slack-wire.js';
import { type AppProcess, startTestApp } from '../support/app-process.js';
import { discordFakeEnv, postInteraction, postSlashCommand, slackFakeEnv } from '../support/chat-wire.js';
import { eventually } from '../support/eventually.js';
import { proxyGet } from '../support/port-client.js';
import { describeWith } from '../support/services.js';
import { openTerminal } from '../support/terminal-client.js';
import { RawWebSocket } from '../support/web-raw-socket.js';

const TOKEN = 'bad-input-token-0123456789';
const OTHER_TOKEN = 'bad-input-other-token-0123456789';
const ADMIN_TOKEN = 'bad-input-admin-token-0123456789';
const LINK_SECRET = 'bad-input-link-secret-0123456789abcdef';
const OWNER = 'api:bad-input';
const PORTS_DOMAIN = 'ports.test';
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
 * Slack), REST bodies, signatures, link tokens, links used beyond their grant, WebSocket upgrades,
 * WebSocket frames on the log and terminal sockets in each state they can be in, terminal upgrades and
 * ten terminals on one lease (the last case shuts the
 * product down under them). Each gets a clear 4xx or a friendly chat error, the process never
 * answers 500 to input, never crashes, and keeps serving.
 */
describeWith({ redis: true, docker: true })('bad input, at least 900 cases, against every surface', () => {
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

  /** After every case: the process still answers, and it is the same process. */
  async function stillServing(after: string) {
    const health = await fetch(`${url}/healthz`).catch((error: Error) => error);
    expect(
      health instanceof Error ? `${health.message}\n${app.stderr.slice(-2000)}` : health.status,
      `health after ${after}`,
    ).toBe(200);
    expect(app.child.exitCode, `process after ${after}`).toBeNull();
    expect(app.child.pid, `process after ${after}`).toBe(pid);
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

  let pid: number | undefined;
  const stateSetup = () => ({
    url,
    apiToken: TOKEN,
    linkSecret: LINK_SECRET,
    prefix: run.prefix,
    owner: OWNER,
  });

  beforeAll(async () => {
    slack = await SlackWebApiFake.start();
    rest = await DiscordRestFake.start();
    run = startTestApp(['--console'], {
      API_TOKENS: `bad-input=${TOKEN},other=${OTHER_TOKEN},ops=${ADMIN_TOKEN}`,
      ADMINS: 'api:ops',
      LINK_SECRET,
      // Each WebSocket test makes a few leases of its own.
      LEASE_MAX_PER_USER: '20',
      ...slackFakeEnv(slack),
      ...discordFakeEnv(rest, keys),
      PORTS_DOMAIN: PORTS_DOMAIN,
    });
    app = run.app;
    pid = app.child.pid;
    url = await run.url();
  });

  afterAll(async () => {
    // The last case has stopped the product already; otherwise closing the console stops it.
    app.child.stdin.end();
    expect(await app.exited).toBe(0);
    expect(fiveHundreds).toEqual([]);
    expect(cases).toBeGreaterThanOrEqual(900);
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
      const response = await postSlashCommand(url, test.text, slack.responseUrl(`bad-${index}`));
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
      const response = await postInteraction(url, test.interaction, keys.privateKey);
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

  it('GIVEN bad REST requests, the admins’ included THEN each gets its 4xx with a JSON error naming the problem', async () => {
    for (const test of [...BAD_REST_CASES, ...BAD_ADMIN_CASES]) {
      const admin: Record<string, string> = test.admin ? { authorization: `Bearer ${ADMIN_TOKEN}` } : {};
      const response = await api(
        test.path,
        { method: test.method, body: test.body, headers: { ...admin, ...test.headers } },
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
    const lease = await provisionLease({ url, apiToken: TOKEN });
    for (const test of badLinkTokens(LINK_SECRET, lease.id, OWNER)) {
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

  it('GIVEN a logs link used beyond its lease’s logs, or an api: owner’s link after its token was removed THEN refused, and never a session', async () => {
    const lease = await provisionLease({ url, apiToken: TOKEN });
    const opened = await fetch(lease.logsUrl, { redirect: 'manual' });
    const cookies = opened.headers.getSetCookie().map((cookie) => cookie.split(';')[0] ?? '');
    expect([opened.status, cookies.map((cookie) => cookie.split('=')[0])]).toEqual([303, ['cl_lease']]);
    const withLinkCookies = await fetch(`${url}/api/me`, { headers: { cookie: cookies.join('; ') } });
    expect(withLinkCookies.status, 'the cookies of an opened logs link on the API').toBe(401);
    cases += 1;

    const setup = {
      secret: LINK_SECRET,
      origin: url,
      leaseId: lease.id,
      otherLeaseId: 'zzzzzzzzzz',
      owner: OWNER,
    };
    for (const test of badLinkUses(setup)) {
      let status: number;
      if (test.kind === 'upgrade') status = await upgradeStatus(url, test.path, test.headers);
      else {
        const response = await fetch(`${url}${test.path}`, {
          method: test.method,
          headers: test.headers,
          body: test.body,
          redirect: 'manual',
        });
        expect(response.headers.getSetCookie().join(' '), test.name).not.toContain('cl_session=');
        status = response.status;
      }
      if (status >= 500) fiveHundreds.push(`link use ${test.name}`);
      expect(status, test.name).toBe(test.status);
      await stillServing(`link use ${test.name}`);
      cases += 1;
    }
    expect((await api(`/api/containers/${lease.id}`)).status, 'the lease after all that').toBe(200);
  });

  it('GIVEN bad requests and upgrades to the port proxy THEN each is a clear 4xx naming nothing of the app, and both servers keep serving', async () => {
    const portsUrl = await run.portsUrl();
    const [lease, ended] = await Promise.all([
      provisionLease({ url, apiToken: TOKEN }),
      provisionLease({ url, apiToken: TOKEN }),
    ]);
    expect((await api(`/api/containers/${ended.id}`, { method: 'DELETE' })).status).toBe(204);
    const setup = {
      secret: LINK_SECRET,
      origin: portsUrl,
      domain: PORTS_DOMAIN,
      leaseId: lease.id,
      otherLeaseId: 'zzzzzzzzzz',
      endedLeaseId: ended.id,
      owner: OWNER,
    };
    for (const test of badPortRequests(setup)) {
      let status: number;
      if (test.kind === 'upgrade') status = await upgradeStatus(portsUrl, test.path, test.headers);
      else {
        const reply = await proxyGet(`${portsUrl}${test.path}`, {
          method: test.method,
          headers: test.headers,
        });
        expectNoFailure(reply.body, `port ${test.name}`);
        expect([reply.headers['set-cookie']].flat().join(' '), test.name).not.toContain('cl_');
        status = reply.status;
      }
      if (status >= 500) fiveHundreds.push(`port ${test.name}`);
      expect(status, test.name).toBe(test.status);
      const health = await proxyGet(`${portsUrl}/`);
      expect(health.status, `the proxy after ${test.name}`).toBe(404);
      await stillServing(`port ${test.name}`);
      cases += 1;
    }
  }, 120_000);

  it('GIVEN bad WebSocket frames on the log socket of an ended, a provisioning and a streaming lease, at every moment THEN the product keeps serving after each', async () => {
    for (const state of await logSocketStates(stateSetup())) {
      for (const timing of timingsOf(state)) {
        for (const test of BAD_FRAMES) {
          await sendFrames(url, state, test, timing);
          await stillServing(`${test.name}, ${timing}, on the ${state.name} lease's socket`);
          cases += 1;
        }
      }
      for (const test of CONNECTION_CASES) {
        await test.run(url, state, () => stillServing(`${test.name} on the ${state.name} lease's socket`));
        await stillServing(`${test.name} on the ${state.name} lease's socket, after`);
        cases += 1;
      }
    }
  }, 300_000);

  it('GIVEN terminal upgrades from the wrong caller, with a forged or spent ticket, a foreign Origin, for an unknown or ended lease THEN each is refused with its status', async () => {
    for (const test of await terminalUpgradeRefusals({ ...stateSetup(), otherToken: OTHER_TOKEN })) {
      const got = await upgradeStatus(url, test.path, test.headers);
      if (got >= 500) fiveHundreds.push(`terminal upgrade ${test.name}`);
      expect(got, test.name).toBe(test.status);
      cases += 1;
    }
    await stillServing('the terminal upgrades');
  });

  it('GIVEN ten terminal sockets on one lease THEN three shells, seven told why (4003), and sizes out of range refused while the shell goes on', async () => {
    const lease = await provisionLease({ url, apiToken: TOKEN });
    const opened = await Promise.all(
      Array.from({ length: 10 }, () =>
        openTerminal(url, `/terminal/${lease.id}`, { token: TOKEN, size: { cols: 80, rows: 24 } }),
      ),
    );
    const clients = opened.map((upgrade) => {
      if (!upgrade.ok) throw new Error(`refused ${upgrade.status}`);
      return upgrade.client;
    });
    const closes = await Promise.all(
      clients.map((client) => Promise.race([client.closed, sleep(3_000).then(() => undefined)])),
    );
    expect(closes.filter((close) => close?.code === 4003)).toHaveLength(7);
    const live = clients.filter((_, i) => closes[i] === undefined);
    expect(live).toHaveLength(3);
    const [shell] = live;
    shell?.resize(0, 0);
    shell?.resize(100_000, 100_000);
    shell?.type('echo $((6*7))\r');
    await eventually(() => shell?.text().includes('42'), 20_000, 'the shell to answer');
    expect(shell?.controls.map((control) => control.type)).toEqual(['error', 'error']);
    for (const client of live) client.close();
    cases += 12;
    await stillServing('ten terminals on one lease');
  });

  it('GIVEN bad WebSocket frames on the terminal socket of an ended, a starting, a full and a live lease, at every moment THEN the product keeps serving after each', async () => {
    const { states, held } = await terminalSocketStates(stateSetup());
    for (const state of states) {
      for (const timing of timingsOf(state)) {
        for (const test of TERMINAL_FRAMES) {
          await sendFrames(url, state, test, timing);
          await stillServing(`${test.name}, ${timing}, on the ${state.name} socket`);
          cases += 1;
        }
      }
      for (const test of CONNECTION_CASES) {
        await test.run(url, state, () => stillServing(`${test.name} on the ${state.name} socket`));
        await stillServing(`${test.name} on the ${state.name} socket, after`);
        cases += 1;
      }
    }
    for (const client of held) client.close();
  }, 600_000);

  it('GIVEN log and terminal sockets in every state sending bad frames WHEN the product shuts down under them THEN it stops cleanly', async () => {
    const sockets: Array<{ socket: RawWebSocket; bytes: Buffer; end?: boolean }> = [];
    const states: SocketState[] = await logSocketStates(stateSetup());
    const terminals = await terminalSocketStates(stateSetup());
    for (const state of [...states, ...terminals.states]) {
      for (const test of state.path.startsWith('/terminal/') ? TERMINAL_FRAMES : BAD_FRAMES) {
        const socket = await RawWebSocket.open(url, state.path, {
          headers: { origin: url, ...state.headers },
        });
        expect(socket.status, `${test.name} on the ${state.name} lease's socket`).toBe(101);
        sockets.push({ socket, bytes: test.bytes, end: test.end });
      }
    }
    const live = states.find((state) => state.name === 'live')?.path ?? '';
    const trickling = RawWebSocket.open(url, live, {
      headers: { origin: url },
      trickle: { bytes: 4, everyMs: 20 },
    });
    const unfinished = await RawWebSocket.connect(url, live, { headers: { origin: url }, unfinished: true });

    app.child.kill('SIGTERM');
    for (const { socket, bytes, end } of sockets) socket.send(bytes, end);
    // And once more after the server said goodbye (1001 to the streaming ones), while it stops.
    await Promise.all(
      sockets.map(async ({ socket, bytes, end }) => {
        await socket.until(() => socket.closeCode !== undefined, 10_000);
        socket.send(bytes, end);
      }),
    );
    expect(await app.exited, app.stderr.slice(-3000)).toBe(0);
    expect(app.stderr + app.stdout).not.toMatch(/Unhandled 'error'|uncaught/i);
    cases += sockets.length + 2;
    for (const client of terminals.held) client.close();
    await trickling.catch(() => undefined);
    for (const { socket } of sockets) socket.destroy();
    unfinished.destroy();
  }, 120_000);
});
