import { once } from 'node:events';
import type { APIInteraction } from 'discord-api-types/v10';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { DiscordBot } from '../../../src/bots/discord/discord-bot.js';
import { RecordingLogger } from '../../doubles/recording-logger.js';
import {
  CLOSE_AUTHENTICATION_FAILED,
  CLOSE_SESSION_TIMED_OUT,
  DiscordGatewayFake,
  SESSION_ID,
} from '../../fakes/discord-gateway-fake.js';
import {
  ALICE,
  APP_ID,
  BOB,
  buttonClick,
  CHANNEL_ID,
  DISCORD_TOKEN,
  GUILD_ID,
  slashCommand,
} from '../../fakes/discord-payloads.js';
import { DiscordRestFake, type RecordedRequest } from '../../fakes/discord-rest-fake.js';
import { makeBotFixture } from '../../support/bot-fixture.js';
import { testDiscordBot } from '../../support/chat-bots.js';
import { eventually } from '../../support/eventually.js';

const BOT_USER = '777777777777777777';
/** Discord's "unknown error" close: the client should resume. */
const CLOSE_UNKNOWN_ERROR = 4000;
/** Discord's "disallowed intents" close: fatal, the operator must enable the intent. */
const CLOSE_DISALLOWED_INTENTS = 4014;

interface Message {
  readonly content: string;
  readonly flags?: number;
  readonly components: { components: { custom_id?: string; label: string; url?: string }[] }[];
}

describe('Discord gateway mode against local fakes of the REST API and the gateway', () => {
  let rest: DiscordRestFake;
  let gateway: DiscordGatewayFake;
  let fixture: ReturnType<typeof makeBotFixture>;
  let bot: DiscordBot;
  let logger: RecordingLogger;

  beforeEach(async () => {
    rest = await DiscordRestFake.start();
    gateway = await DiscordGatewayFake.start({ applicationId: APP_ID, userId: BOT_USER });
    rest.gatewayUrl = gateway.url;
    fixture = makeBotFixture();
    logger = new RecordingLogger();
    bot = testDiscordBot(fixture, { token: DISCORD_TOKEN, apiUrl: rest.api }, logger);
  });

  afterEach(async () => {
    await bot.stop();
    expect(logger.errors).toEqual([]);
    await gateway.close();
    await rest.close();
  });

  const REFUSED = {
    code: 'config',
    message: 'DISCORD_TOKEN was refused by Discord: copy a fresh one from Bot → Reset Token',
  };

  it('GIVEN a token Discord does not know THEN its REST answers 401 and start fails with one line naming DISCORD_TOKEN', async () => {
    const revoked = testDiscordBot(fixture, { token: 'revoked-token-0000', apiUrl: rest.api }, logger);
    await expect(revoked.start()).rejects.toMatchObject(REFUSED);
    expect(rest.find('GET', /^\/gateway\/bot$/).map((r) => r.headers.authorization)).toEqual([
      'Bot revoked-token-0000',
    ]);
  });

  it('GIVEN the gateway refuses the token at IDENTIFY (close 4004) THEN start fails with the same line', async () => {
    const strict = await DiscordGatewayFake.start({
      applicationId: APP_ID,
      userId: BOT_USER,
      token: 'another',
    });
    rest.gatewayUrl = strict.url;
    try {
      await expect(bot.start()).rejects.toMatchObject(REFUSED);
    } finally {
      await strict.close();
    }
  });

  it('GIVEN a gateway that wants a heartbeat every second THEN the bot keeps its session for several intervals', async () => {
    const brisk = await DiscordGatewayFake.start({
      applicationId: APP_ID,
      userId: BOT_USER,
      heartbeatIntervalMs: 1_000,
    });
    rest.gatewayUrl = brisk.url;
    try {
      await bot.start();
      await eventually(() => brisk.heartbeats >= 3, 10_000, 'three heartbeats');
      expect(logger.lines.filter((line) => line.message === 'discord gateway disconnected')).toEqual([]);
      expect(rest.find('GET', /^\/gateway\/bot$/)).toHaveLength(1);
    } finally {
      await bot.stop();
      await brisk.close();
    }
  });

  it('GIVEN Discord drops the connection (4000) THEN the bot resumes its session, without a new discovery or IDENTIFY, and interactions still arrive', async () => {
    await bot.start();
    gateway.disconnect(CLOSE_UNKNOWN_ERROR);
    await eventually(() => gateway.resumes.length > 0, 10_000, 'a RESUME');
    expect(gateway.resumes).toEqual([{ token: DISCORD_TOKEN, session_id: SESSION_ID, seq: 1 }]);
    expect(gateway.identifies).toBe(1);
    expect(rest.find('GET', /^\/gateway\/bot$/)).toHaveLength(1);

    const interaction = slashCommand('images');
    gateway.dispatch('INTERACTION_CREATE', interaction);
    const callback = await rest.waitFor('POST', new RegExp(`^/interactions/${interaction.id}/`));
    expect(callback.body).toMatchObject({ type: 4 });
    expect(logger.lines.filter((line) => line.message?.startsWith('discord gateway'))).toEqual([
      expect.objectContaining({ message: 'discord gateway ready' }),
    ]);
  });

  it('GIVEN Discord closes the session with a fatal code (4014) THEN the bot warns with the code and does not reconnect', async () => {
    await bot.start();
    gateway.disconnect(CLOSE_DISALLOWED_INTENTS);
    const disconnected = () => logger.lines.filter((line) => line.message === 'discord gateway disconnected');
    await eventually(() => disconnected().length > 0, 10_000, 'the warning');
    expect(disconnected()).toEqual([
      {
        level: 'warn',
        message: 'discord gateway disconnected',
        fields: { code: CLOSE_DISALLOWED_INTENTS, shard: 0 },
      },
    ]);
    // A resume or reconnect would start 500 ms after the close (@discordjs/ws's pause): wait past it.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(gateway.connections).toBe(1);
  });

  it("GIVEN two bots in one process, each with its own gateway THEN each identifies with its own, neither resumes the other one's session", async () => {
    const otherRest = await DiscordRestFake.start();
    const otherGateway = await DiscordGatewayFake.start({ applicationId: APP_ID, userId: BOT_USER });
    otherRest.gatewayUrl = otherGateway.url;
    const other = testDiscordBot(fixture, { token: DISCORD_TOKEN, apiUrl: otherRest.api }, logger);
    try {
      await bot.start();
      await other.start();
      expect([gateway.identifies, otherGateway.identifies]).toEqual([1, 1]);
      expect([...gateway.resumes, ...otherGateway.resumes]).toEqual([]);
      expect(gateway.connections).toBe(1);
    } finally {
      await other.stop();
      await otherGateway.close();
      await otherRest.close();
    }
  });

  describe('once logged in', () => {
    beforeEach(() => bot.start());

    /** Sends the interaction over the gateway and returns its callback. */
    async function dispatch(interaction: APIInteraction): Promise<RecordedRequest> {
      gateway.dispatch('INTERACTION_CREATE', interaction);
      return rest.waitFor(
        'POST',
        new RegExp(`^/interactions/${interaction.id}/${interaction.token}/callback$`),
      );
    }

    function edited(interaction: APIInteraction): Promise<RecordedRequest> {
      return rest.waitFor(
        'PATCH',
        new RegExp(`^/webhooks/${APP_ID}/${interaction.token}/messages/@original$`),
      );
    }

    it('GIVEN a bot token THEN it discovers the gateway over DISCORD_API_URL and identifies with it', async () => {
      expect(rest.find('GET', /^\/gateway\/bot$/)[0]?.headers.authorization).toBe(`Bot ${DISCORD_TOKEN}`);
      expect((await gateway.identified).token).toBe(DISCORD_TOKEN);
    });

    it('GIVEN /lease provision on a slow engine THEN the deferral (type 5, ephemeral) arrives before any engine work, and the lease follows as an edit', async () => {
      fixture.runtime.delayMs = 300;
      let engineCallsAtDeferral = -1;
      rest.onRequest((request) => {
        if (request.path.endsWith('/callback')) engineCallsAtDeferral = fixture.runtime.calls.length;
      });
      const interaction = slashCommand('provision', { image: 'busybox', minutes: 90 });

      const callback = await dispatch(interaction);
      expect(callback.body).toEqual({ type: 5, data: { flags: 64 } });
      expect(engineCallsAtDeferral).toBe(0);

      const edit = (await edited(interaction)).body as Message;
      expect(fixture.runtime.running()).toHaveLength(1);
      const [lease] = await fixture.leases.list(fixture.leases.actor(`discord:${ALICE}`));
      expect(lease?.notify).toEqual({
        platform: 'discord',
        user: ALICE,
        channel: CHANNEL_ID,
        team: GUILD_ID,
      });
      expect(lease?.team).toBe(`discord:${GUILD_ID}`);
      expect(edit.content).toBe(`Your **busybox** container is running: lease \`${lease?.id}\``);
      expect(edit.components[0]?.components.map((button) => button.custom_id ?? button.url)).toEqual([
        `lease:extend:${lease?.id}:30`,
        `lease:extend:${lease?.id}:480`,
        `lease:stop:${lease?.id}`,
        lease?.terminalUrl,
        lease?.logsUrl,
      ]);
    });

    it('GIVEN a provision still running WHEN the bot stops THEN stop waits until its answer is sent', async () => {
      fixture.runtime.delayMs = 200;
      const interaction = slashCommand('provision', { image: 'busybox' });
      await dispatch(interaction);
      await bot.stop();
      expect(rest.find('PATCH', new RegExp(`/${interaction.token}/messages/@original$`))).toHaveLength(1);
    });

    it('GIVEN /lease images THEN one immediate ephemeral message (type 4), nothing deferred', async () => {
      const callback = await dispatch(slashCommand('images'));
      expect(callback.body).toMatchObject({ type: 4, data: { flags: 64, allowed_mentions: { parse: [] } } });
      expect((callback.body as { data: Message }).data.content).toContain('`busybox` — BusyBox (test image)');
      expect(rest.find('PATCH', /@original$/)).toEqual([]);
    });

    it('GIVEN the owner presses Extend +30 THEN a deferred update (type 6) and the message is edited to the new expiry', async () => {
      const lease = await fixture.leases.provision(fixture.leases.actor(`discord:${ALICE}`), {
        imageType: 'busybox',
        minutes: 60,
        notify: { platform: 'discord', user: ALICE, channel: CHANNEL_ID },
      });
      const click = buttonClick(`lease:extend:${lease.id}:30`);

      expect((await dispatch(click)).body).toEqual({ type: 6 });
      const edit = (await edited(click)).body as Message;
      const expiresAt = lease.expiresAt + 30 * 60_000;
      expect(edit.content).toBe(`Lease \`${lease.id}\` now ends <t:${expiresAt / 1000}:R>.`);
      expect((await fixture.leases.get(fixture.leases.actor(`discord:${ALICE}`), lease.id)).expiresAt).toBe(
        expiresAt,
      );
    });

    it('GIVEN someone else presses Extend THEN an ephemeral refusal follows and the lease is unchanged', async () => {
      const lease = await fixture.leases.provision(fixture.leases.actor(`discord:${ALICE}`), {
        imageType: 'busybox',
        minutes: 60,
        notify: { platform: 'discord', user: ALICE, channel: CHANNEL_ID },
      });
      const click = buttonClick(`lease:extend:${lease.id}:30`, BOB);

      expect((await dispatch(click)).body).toEqual({ type: 6 });
      const followUp = await rest.waitFor('POST', new RegExp(`^/webhooks/${APP_ID}/${click.token}$`));
      expect(followUp.body).toMatchObject({
        flags: 64,
        content: `Lease ${lease.id} belongs to someone else.`,
      });
      expect(rest.find('PATCH', /@original$/)).toEqual([]);
      expect((await fixture.leases.get(fixture.leases.actor(`discord:${ALICE}`), lease.id)).expiresAt).toBe(
        lease.expiresAt,
      );
    });
  });
});

describe('the gateway fake holds a client to the rules Discord enforces', () => {
  /** A bare WebSocket client that identifies with `token` and never heartbeats; resolves with the close code. */
  async function silentClient(gateway: DiscordGatewayFake, token: string): Promise<number> {
    const socket = new WebSocket(gateway.url);
    await once(socket, 'open');
    socket.send(JSON.stringify({ op: 2, d: { token, intents: 1, properties: {} } }));
    const [code] = (await once(socket, 'close')) as [number];
    return code;
  }

  it('GIVEN IDENTIFY with a wrong token THEN it closes with 4004', async () => {
    const gateway = await DiscordGatewayFake.start({ applicationId: APP_ID, userId: BOT_USER });
    try {
      expect(await silentClient(gateway, 'wrong-token')).toBe(CLOSE_AUTHENTICATION_FAILED);
    } finally {
      await gateway.close();
    }
  });

  it('GIVEN a client that stops heartbeating THEN it closes with 4009 after one and a half intervals', async () => {
    const gateway = await DiscordGatewayFake.start({
      applicationId: APP_ID,
      userId: BOT_USER,
      heartbeatIntervalMs: 200,
    });
    try {
      expect(await silentClient(gateway, DISCORD_TOKEN)).toBe(CLOSE_SESSION_TIMED_OUT);
      expect(gateway.heartbeats).toBe(0);
    } finally {
      await gateway.close();
    }
  });
});
