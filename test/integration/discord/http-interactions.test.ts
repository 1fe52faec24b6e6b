import { type KeyObject, sign } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIInteraction } from 'discord-api-types/v10';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DiscordBot } from '../../../src/bots/discord/discord-bot.js';
import type { LeaseView } from '../../../src/core/domain/lease.js';
import { RecordingLogger } from '../../doubles/recording-logger.js';
import {
  ALICE,
  APP_ID,
  autocomplete,
  BOB,
  buttonClick,
  CHANNEL_ID,
  GUILD_ID,
  ping,
  slashCommand,
} from '../../fakes/discord-payloads.js';
import { DiscordRestFake, type RecordedRequest } from '../../fakes/discord-rest-fake.js';
import { discordKeyPair, postInteraction } from '../../fakes/discord-signing.js';
import { makeBotFixture } from '../../support/bot-fixture.js';
import { testDiscordBot } from '../../support/chat-bots.js';

interface Message {
  readonly content: string;
  readonly components: { components: { custom_id?: string; label: string }[] }[];
}

describe('Discord HTTP interactions at POST /discord/interactions, signed as Discord signs them', () => {
  const keys = discordKeyPair();
  let rest: DiscordRestFake;
  let fixture: ReturnType<typeof makeBotFixture>;
  let bot: DiscordBot;
  let logger: RecordingLogger;
  let server: Server;
  let url: string;

  beforeEach(async () => {
    rest = await DiscordRestFake.start();
    fixture = makeBotFixture();
    logger = new RecordingLogger();
    bot = testDiscordBot(fixture, { publicKey: keys.publicKeyHex, apiUrl: rest.api }, logger);
    const app = express();
    bot.mount?.(app);
    // The web app's own JSON parser comes after the mount, as in production; it must not interfere.
    app.use(express.json());
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/discord/interactions`;
  });

  afterEach(async () => {
    await bot.stop();
    expect(logger.errors).toEqual([]);
    server.close();
    await rest.close();
  });

  const post = (body: string | APIInteraction, signer: KeyObject = keys.privateKey) =>
    postInteraction(url, body, signer);

  function edited(interaction: APIInteraction): Promise<RecordedRequest> {
    return rest.waitFor('PATCH', new RegExp(`^/webhooks/${APP_ID}/${interaction.token}/messages/@original$`));
  }

  async function aliceLease(): Promise<LeaseView> {
    return fixture.leases.provision(fixture.leases.actor(`discord:${ALICE}`), {
      imageType: 'busybox',
      minutes: 60,
      notify: { platform: 'discord', user: ALICE, channel: CHANNEL_ID },
    });
  }

  it('GIVEN no DISCORD_TOKEN and no DISCORD_ALLOWED_GUILDS THEN the operator is warned about each at start', () => {
    expect(logger.warnings).toEqual([
      'DISCORD_TOKEN is not set: no gateway, and notices cannot be sent as DMs {}',
      'DISCORD_ALLOWED_GUILDS is not set: any Discord server that invites the bot can use it {}',
    ]);
  });

  it('GIVEN a signed PING THEN PONG', async () => {
    expect(await post(ping())).toEqual({ status: 200, json: { type: 1 } });
  });

  it("GIVEN Discord's probe with a signature from another key THEN 401 and nothing runs", async () => {
    const response = await post(slashCommand('images'), discordKeyPair().privateKey);
    expect(response.status).toBe(401);
    expect(rest.requests).toEqual([]);
  });

  it('GIVEN a request without signature headers, or with a body changed after signing THEN 401', async () => {
    const unsigned = await fetch(url, { method: 'POST', body: JSON.stringify(ping()) });
    expect(unsigned.status).toBe(401);
    const raw = JSON.stringify(ping());
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = sign(null, Buffer.from(timestamp + raw), keys.privateKey).toString('hex');
    const tampered = await fetch(url, {
      method: 'POST',
      headers: { 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp },
      body: raw.replace('"type":1', '"type":2'),
    });
    expect(tampered.status).toBe(401);
  });

  it.each([
    ['six minutes old (captured and replayed)', -360],
    ['six minutes ahead', 360],
    ['a day old', -86_400],
  ])(
    'GIVEN a correctly signed request whose timestamp is %s THEN 401 and nothing runs',
    async (_, offset) => {
      const timestamp = Math.floor(Date.now() / 1000) + offset;
      const response = await postInteraction(
        url,
        slashCommand('provision', { image: 'busybox' }),
        keys.privateKey,
        timestamp,
      );
      expect(response.status).toBe(401);
      expect(fixture.runtime.calls).toEqual([]);
      expect(rest.requests).toEqual([]);
    },
  );

  it('GIVEN a signed request four minutes old (a slow network, a skewed clock) THEN it is answered', async () => {
    const timestamp = Math.floor(Date.now() / 1000) - 240;
    expect(await postInteraction(url, ping(), keys.privateKey, timestamp)).toEqual({
      status: 200,
      json: { type: 1 },
    });
  });

  it('GIVEN a signed body that is not an interaction THEN 400', async () => {
    expect((await post('{"hello":"world"}')).status).toBe(400);
  });

  it('GIVEN /lease provision THEN the HTTP response defers ephemerally (type 5, flags 64) and the lease follows as a PATCH', async () => {
    const interaction = slashCommand('provision', { image: 'busybox', minutes: 45 });
    expect(await post(interaction)).toEqual({ status: 200, json: { type: 5, data: { flags: 64 } } });

    const edit = (await edited(interaction)).body as Message;
    const [lease] = await fixture.leases.list(fixture.leases.actor(`discord:${ALICE}`));
    expect(edit.content).toBe(`Your **busybox** container is running: lease \`${lease?.id}\``);
    expect(lease?.notify).toEqual({ platform: 'discord', user: ALICE, channel: CHANNEL_ID, team: GUILD_ID });
    expect(lease?.team).toBe(`discord:${GUILD_ID}`);
    expect(lease?.expiresAt).toBe(fixture.clock.now() + 45 * 60_000);
  });

  it('GIVEN /lease list THEN the answer is the HTTP response itself (type 4, ephemeral)', async () => {
    const lease = await aliceLease();
    const { json } = await post(slashCommand('list'));
    expect(json).toMatchObject({ type: 4, data: { flags: 64, content: 'You have 1 lease' } });
    expect((json.data as { embeds: { description: string }[] }).embeds[0]?.description).toBe(
      `**busybox** · \`${lease.id}\``,
    );
  });

  it('GIVEN a mistyped subcommand THEN one ephemeral line with the usage', async () => {
    const { json } = await post(slashCommand('launch'));
    expect(json).toMatchObject({ type: 4, data: { flags: 64 } });
    expect((json.data as Message).content).toContain(`I don't know "/lease launch".`);
  });

  it('GIVEN the owner clicks Extend +30 THEN a deferred update (type 6) and a PATCH with the new expiry', async () => {
    const lease = await aliceLease();
    const click = buttonClick(`lease:extend:${lease.id}:30`);
    expect(await post(click)).toEqual({ status: 200, json: { type: 6 } });
    const edit = (await edited(click)).body as Message;
    expect(edit.content).toBe(
      `Lease \`${lease.id}\` now ends <t:${(lease.expiresAt + 30 * 60_000) / 1000}:R>.`,
    );
  });

  it('GIVEN the owner clicks Stop THEN an ephemeral question; "Stop it" then removes the container', async () => {
    const lease = await aliceLease();
    const stop = buttonClick(`lease:stop:${lease.id}`);
    expect(await post(stop)).toEqual({ status: 200, json: { type: 5, data: { flags: 64 } } });
    const question = (await edited(stop)).body as Message;
    expect(question.content).toBe(
      `Stop lease \`${lease.id}\`? The container and everything in it will be removed.`,
    );
    expect(question.components[0]?.components.map((button) => button.label)).toEqual(['Stop it', 'Keep it']);
    expect(fixture.runtime.running()).toHaveLength(1);

    const confirm = buttonClick(question.components[0]?.components[0]?.custom_id ?? '');
    expect(await post(confirm)).toEqual({ status: 200, json: { type: 6 } });
    expect(((await edited(confirm)).body as Message).content).toBe(
      `Lease \`${lease.id}\` stopped; its container was removed.`,
    );
    expect(fixture.runtime.containers.size).toBe(0);
  });

  it('GIVEN "Keep it" THEN the question is replaced in the response (type 7) and the lease lives on', async () => {
    const lease = await aliceLease();
    const { json } = await post(buttonClick(`lease:stop-keep:${lease.id}`));
    expect(json).toMatchObject({
      type: 7,
      data: { content: `Kept lease \`${lease.id}\`; nothing was stopped.`, components: [] },
    });
    expect(fixture.runtime.running()).toHaveLength(1);
  });

  it('GIVEN someone else clicks Stop THEN an ephemeral refusal instead of the question', async () => {
    const lease = await aliceLease();
    const stop = buttonClick(`lease:stop:${lease.id}`, BOB);
    expect((await post(stop)).json).toEqual({ type: 5, data: { flags: 64 } });
    const refusal = (await edited(stop)).body as Message;
    expect(refusal.content).toBe(`Lease ${lease.id} belongs to someone else.`);
    expect(refusal.components).toEqual([]);
  });

  it("GIVEN the id being typed THEN autocomplete (type 8) offers only the caller's own leases", async () => {
    const lease = await aliceLease();
    await fixture.leases.provision(fixture.leases.actor(`discord:${BOB}`), {
      imageType: 'busybox',
      notify: { platform: 'discord', user: BOB },
    });
    const { json } = await post(autocomplete('stop', { id: '' }, 'id'));
    expect(json).toEqual({
      type: 8,
      data: { choices: [{ name: `${lease.id} · busybox · ends in 60 min`, value: lease.id }] },
    });
  });

  it('GIVEN an image being typed THEN autocomplete offers the matching catalog images', async () => {
    const { json } = await post(autocomplete('provision', { image: 'bus' }, 'image'));
    expect(json).toEqual({
      type: 8,
      data: { choices: [{ name: 'busybox — BusyBox (test image)', value: 'busybox' }] },
    });
  });
});
