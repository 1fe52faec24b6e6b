import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIInteraction } from 'discord-api-types/v10';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DiscordBot } from '../../../src/bots/discord/discord-bot.js';
import type { LeaseView } from '../../../src/core/domain/lease.js';
import { RecordingLogger } from '../../doubles/recording-logger.js';
import { DiscordGatewayFake } from '../../fakes/discord-gateway-fake.js';
import {
  ALICE,
  APP_ID,
  autocomplete,
  buttonClick,
  DISCORD_TOKEN,
  GUILD_ID,
  inDirectMessage,
  ping,
  slashCommand,
} from '../../fakes/discord-payloads.js';
import { DiscordRestFake } from '../../fakes/discord-rest-fake.js';
import { discordKeyPair, postInteraction } from '../../fakes/discord-signing.js';
import { makeBotFixture } from '../../support/bot-fixture.js';
import { testDiscordBot } from '../../support/chat-bots.js';

const OTHER_GUILD = '888888888888888888';
/** As the reply shows it: Discord markdown escapes the underscores. */
const VARIABLE = 'DISCORD\\_ALLOWED\\_GUILDS';

describe('DISCORD_ALLOWED_GUILDS on HTTP interactions, signed as Discord signs them', () => {
  const keys = discordKeyPair();
  let rest: DiscordRestFake;
  let fixture: ReturnType<typeof makeBotFixture>;
  let logger: RecordingLogger;
  let bot: DiscordBot | undefined;
  let server: Server | undefined;
  let url: string;

  beforeEach(async () => {
    rest = await DiscordRestFake.start();
    fixture = makeBotFixture();
    logger = new RecordingLogger();
  });

  afterEach(async () => {
    await bot?.stop();
    server?.close();
    await rest.close();
    expect(logger.errors).toEqual([]);
  });

  async function serve(allowedGuilds: string[]): Promise<void> {
    bot = testDiscordBot(fixture, { publicKey: keys.publicKeyHex, apiUrl: rest.api, allowedGuilds }, logger);
    const app = express();
    bot.mount?.(app);
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/discord/interactions`;
  }

  const post = (interaction: APIInteraction) => postInteraction(url, interaction, keys.privateKey);
  const content = (json: Record<string, unknown>) => String((json.data as { content?: string })?.content);

  async function aliceLease(): Promise<LeaseView> {
    return fixture.leases.provision(fixture.leases.actor(`discord:${ALICE}`), {
      imageType: 'busybox',
      minutes: 60,
      notify: { platform: 'discord', user: ALICE },
    });
  }

  it('GIVEN a command from a server not in the list THEN one ephemeral reply naming the server and the variable, and nothing runs', async () => {
    await serve([OTHER_GUILD]);
    const interaction = slashCommand('provision', { image: 'busybox', minutes: 30 });
    const { status, json } = await post(interaction);
    expect(status).toBe(200);
    expect(json).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(content(json)).toBe(
      `This Discord server (${GUILD_ID}) may not use this ContainerLease: it is not in ${VARIABLE}. Ask the operator to add it.`,
    );
    expect(fixture.runtime.calls).toEqual([]);
    expect(await fixture.store.count()).toBe(0);
    expect(rest.requests).toEqual([]);
    expect(logger.warnings).toContain(
      `Discord interaction not allowed by DISCORD_ALLOWED_GUILDS refused {"interactionId":"${interaction.id}","guild":"${GUILD_ID}"}`,
    );
  });

  it('GIVEN a button clicked in a server not in the list THEN a refusal, and the lease is not extended', async () => {
    await serve([OTHER_GUILD]);
    const lease = await aliceLease();
    const { json } = await post(buttonClick(`lease:extend:${lease.id}:30`));
    expect(json).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(content(json)).toContain(VARIABLE);
    expect((await fixture.store.get(lease.id))?.expiresAt).toBe(lease.expiresAt);
  });

  it("GIVEN autocomplete from a server not in the list THEN no suggestions, so nobody's lease ids leak", async () => {
    await serve([OTHER_GUILD]);
    await aliceLease();
    expect((await post(autocomplete('stop', { id: '' }, 'id'))).json).toEqual({
      type: 8,
      data: { choices: [] },
    });
  });

  it('GIVEN the server in the list THEN commands run as before; a PING is answered whatever the list', async () => {
    await serve([OTHER_GUILD, GUILD_ID]);
    expect(content((await post(slashCommand('list'))).json)).toMatch(/^You have no leases./);
    expect((await post(ping())).json).toEqual({ type: 1 });
  });

  it('GIVEN a list and a command in a DM THEN it is refused, saying to run /lease in an allowed server', async () => {
    await serve([GUILD_ID]);
    const { json } = await post(inDirectMessage(slashCommand('provision', { image: 'busybox' })));
    expect(json).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(content(json)).toBe(
      `This ContainerLease takes /lease commands only in the servers it serves (${VARIABLE}), not in direct messages: run /lease there.`,
    );
    expect(fixture.runtime.calls).toEqual([]);
    const suggestions = await post(inDirectMessage(autocomplete('stop', { id: '' }, 'id')));
    expect(suggestions.json).toEqual({ type: 8, data: { choices: [] } });
  });

  it.each([
    ['an empty guild_id', ''],
    ['a null guild_id', null],
  ])(
    'GIVEN a list and a command with %s THEN it names no server, so it counts as a DM and is refused',
    async (_, guildId) => {
      await serve([GUILD_ID]);
      const interaction = {
        ...(slashCommand('provision', { image: 'busybox' }) as object),
        guild_id: guildId,
      };
      const { json } = await post(interaction as unknown as APIInteraction);
      expect(content(json)).toContain('not in direct messages');
      expect(fixture.runtime.calls).toEqual([]);
    },
  );

  it("GIVEN a list and the Extend button of a warning DM THEN it still works for the lease's owner", async () => {
    await serve([GUILD_ID]);
    const lease = await aliceLease();
    const click = inDirectMessage(buttonClick(`lease:extend:${lease.id}:30`));
    expect((await post(click)).json).toEqual({ type: 6 });
    await rest.waitFor('PATCH', new RegExp(`^/webhooks/${APP_ID}/${click.token}/messages/@original$`));
    expect((await fixture.store.get(lease.id))?.expiresAt).toBe(lease.expiresAt + 30 * 60_000);
  });

  it('GIVEN no list THEN DMs and every server are answered', async () => {
    await serve([]);
    expect(content((await post(inDirectMessage(slashCommand('list')))).json)).toMatch(/^You have no leases./);
    expect(content((await post(slashCommand('list'))).json)).toMatch(/^You have no leases./);
  });
});

describe('DISCORD_ALLOWED_GUILDS over the gateway', () => {
  it('GIVEN INTERACTION_CREATE from a server not in the list THEN the callback carries the refusal', async () => {
    const rest = await DiscordRestFake.start();
    const gateway = await DiscordGatewayFake.start({ applicationId: APP_ID, userId: '777777777777777777' });
    rest.gatewayUrl = gateway.url;
    const fixture = makeBotFixture();
    const bot = testDiscordBot(fixture, {
      token: DISCORD_TOKEN,
      apiUrl: rest.api,
      allowedGuilds: [OTHER_GUILD],
    });
    try {
      await bot.start();
      const interaction = slashCommand('provision', { image: 'busybox' });
      gateway.dispatch('INTERACTION_CREATE', interaction);
      const callback = await rest.waitFor(
        'POST',
        new RegExp(`^/interactions/${interaction.id}/${interaction.token}/callback`),
      );
      expect(callback.body).toMatchObject({
        type: 4,
        data: { flags: 64, content: expect.stringContaining(VARIABLE) },
      });
      expect(fixture.runtime.calls).toEqual([]);
    } finally {
      await bot.stop();
      await gateway.close();
      await rest.close();
    }
  });
});
