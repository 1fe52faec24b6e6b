import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackBot } from '../../../src/bots/slack/slack-bot.js';
import { SlackSocketModeFake } from '../../fakes/slack-socket-mode-fake.js';
import { SlackWebApiFake } from '../../fakes/slack-web-api-fake.js';
import { ALICE, BOB, blockActions, SLACK_APP_TOKEN, slashCommand } from '../../fakes/slack-wire.js';
import { makeBotFixture } from '../../support/bot-fixture.js';
import { testSlackBot } from '../../support/chat-bots.js';

interface Block {
  readonly type: string;
  readonly block_id?: string;
  readonly elements?: Array<{ action_id: string; url?: string; text: { text: string } }>;
}

function clickable(message: Record<string, unknown> | undefined, label: string) {
  for (const block of (message?.blocks ?? []) as Block[]) {
    const element = block.elements?.find((candidate) => candidate.text?.text === label);
    if (element)
      return { actionId: element.action_id, blockId: block.block_id ?? '', url: element.url, text: label };
  }
  throw new Error(`no "${label}" button`);
}

describe('Slack over Socket Mode: the same handlers behind a WebSocket (local fake of Slack)', () => {
  let web: SlackWebApiFake;
  let socket: SlackSocketModeFake;
  let fixture: ReturnType<typeof makeBotFixture>;
  let bot: SlackBot;

  beforeEach(async () => {
    web = await SlackWebApiFake.start();
    socket = await SlackSocketModeFake.start();
    web.on('apps.connections.open', () => ({ body: { ok: true, url: socket.url } }));
    fixture = makeBotFixture();
    bot = testSlackBot(fixture, {
      signingSecret: undefined,
      appToken: SLACK_APP_TOKEN,
      apiUrl: web.apiUrl,
    });
    await bot.start();
  });

  afterEach(async () => {
    await bot.stop();
    await socket.close();
    await web.close();
  });

  it('GIVEN SLACK_APP_TOKEN THEN start() asks apps.connections.open with the app token at SLACK_API_URL and connects', () => {
    expect(bot.mode).toBe('socket');
    expect(bot.mount).toBeUndefined();
    const [open] = web.callsTo('apps.connections.open');
    expect(open?.headers.authorization).toBe(`Bearer ${SLACK_APP_TOKEN}`);
    expect(socket.isConnected).toBe(true);
    expect(web.calls.map((call) => call.path)).toEqual(['/api/apps.connections.open']);
  });

  it('GIVEN a slash_commands envelope while Docker is slow THEN the ack carries "Provisioning…" before the container starts, and the result reaches response_url', async () => {
    fixture.runtime.delayMs = 1_500;
    const { ack, ackMs } = await socket.send(
      'slash_commands',
      slashCommand('provision busybox', ALICE, web.responseUrl('c1')),
    );
    const runningAtAck = fixture.runtime.running().length;

    expect(ackMs).toBeLessThan(fixture.runtime.delayMs);
    expect(runningAtAck).toBe(0);
    expect(ack.payload).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Provisioning busybox…'),
    });

    const [result] = await web.waitForCalls('/hooks/c1', 1);
    expect(result?.body).toMatchObject({
      replace_original: true,
      text: expect.stringContaining('container is running'),
    });
    expect(fixture.runtime.running()).toHaveLength(1);
  });

  it('GIVEN interactive envelopes (Extend by the owner, Stop by someone else, Logs) THEN each is acked at once and answered as over HTTP', async () => {
    await socket.send('slash_commands', slashCommand('provision busybox 60', ALICE, web.responseUrl('c2')));
    const [provisioned] = await web.waitForCalls('/hooks/c2', 1);

    const extend = await socket.send(
      'interactive',
      blockActions(clickable(provisioned?.body, 'Extend +30 min'), ALICE, web.responseUrl('a1')),
    );
    expect(extend.ack.payload ?? {}).toEqual({});
    const [extended] = await web.waitForCalls('/hooks/a1', 1);
    expect(extended?.body).toMatchObject({
      replace_original: true,
      text: expect.stringContaining('now ends in 90 min'),
    });

    await socket.send(
      'interactive',
      blockActions(clickable(provisioned?.body, 'Stop'), BOB, web.responseUrl('a2')),
    );
    const [refused] = await web.waitForCalls('/hooks/a2', 1);
    expect(refused?.body).toMatchObject({
      replace_original: false,
      text: expect.stringContaining('belongs to someone else'),
    });

    const logs = await socket.send(
      'interactive',
      blockActions(clickable(provisioned?.body, 'Logs'), ALICE, web.responseUrl('a3')),
    );
    await bot.stop();
    expect(logs.ack.envelope_id).toBeTruthy();
    expect(web.callsTo('/hooks/a3')).toEqual([]);
    expect(fixture.runtime.running()).toHaveLength(1);
  });

  it('GIVEN stop() THEN the Socket Mode connection is closed', async () => {
    expect(socket.isConnected).toBe(true);
    await bot.stop();
    expect(socket.isConnected).toBe(false);
  });

  it('GIVEN Slack asks the app to reconnect (a disconnect message) THEN it opens a new connection and keeps answering', async () => {
    socket.sendRaw({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'applink-fake' } });
    await socket.connectedAgain(2);
    expect(web.callsTo('apps.connections.open')).toHaveLength(2);

    const { ack } = await socket.send('slash_commands', slashCommand('help', ALICE, web.responseUrl('c3')));
    expect(ack.payload).toMatchObject({
      text: expect.stringContaining('ContainerLease lends you a short-lived container.'),
    });
  });
});

describe('Slack over Socket Mode: a wrong app token', () => {
  it('GIVEN an app token Slack does not know THEN apps.connections.open answers invalid_auth and start() fails with it, so the process does not run deaf', async () => {
    const web = await SlackWebApiFake.start();
    const fixture = makeBotFixture();
    const bot = testSlackBot(fixture, {
      signingSecret: undefined,
      appToken: 'xapp-1-wrong',
      apiUrl: web.apiUrl,
    });
    try {
      await expect(bot.start()).rejects.toThrow('invalid_auth');
    } finally {
      await bot.stop();
      await web.close();
    }
  });
});
