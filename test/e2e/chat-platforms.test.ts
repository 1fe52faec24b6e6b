import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisKeys } from '../../src/core/adapters/redis/keys.js';
import { DiscordGatewayFake } from '../fakes/discord-gateway-fake.js';
import {
  APP_ID,
  ALICE as DISCORD_ALICE,
  DISCORD_TOKEN,
  slashCommand as discordCommand,
  GUILD_ID,
} from '../fakes/discord-payloads.js';
import { DiscordRestFake } from '../fakes/discord-rest-fake.js';
import { discordKeyPair } from '../fakes/discord-signing.js';
import { SlackWebApiFake } from '../fakes/slack-web-api-fake.js';
import { ALICE } from '../fakes/slack-wire.js';
import { startTestApp } from '../support/app-process.js';
import { auditLines } from '../support/audit-trail.js';
import { discordFakeEnv, postInteraction, postSlashCommand, slackFakeEnv } from '../support/chat-wire.js';
import { eventually } from '../support/eventually.js';
import { describeWith, testRedis } from '../support/services.js';

/** Words only the warning and only the expiry notice carry, on both platforms. */
const WARNING = 'Extend it to keep working';
const EXPIRED = 'expired and its container was removed';

/**
 * The built product with both chat front-ends configured, against local fakes of Slack and
 * Discord: what an operator runs, driven as the platforms drive it.
 */
describeWith({ redis: true, docker: true })(
  'the whole product with Slack (HTTP) and Discord (gateway + HTTP interactions)',
  () => {
    const keys = discordKeyPair();
    let slack: SlackWebApiFake;
    let rest: DiscordRestFake;
    let gateway: DiscordGatewayFake;
    let run: ReturnType<typeof startTestApp>;
    let url: string;

    beforeAll(async () => {
      slack = await SlackWebApiFake.start();
      rest = await DiscordRestFake.start();
      gateway = await DiscordGatewayFake.start({ applicationId: APP_ID, userId: '777777777777777777' });
      rest.gatewayUrl = gateway.url;
      run = startTestApp([], {
        CLEANUP_INTERVAL: '1s',
        LEASE_WARN_MINUTES: '10',
        ...slackFakeEnv(slack),
        DISCORD_TOKEN,
        ...discordFakeEnv(rest, keys),
      });
      url = await run.url();
    });

    afterAll(async () => {
      expect(await run.stop()).toBe(0);
      await Promise.all([slack.close(), rest.close(), gateway.close()]);
      await run.clean();
    });

    it('GIVEN /lease provision from Slack and from Discord THEN both are acknowledged at once, answered, warned and told of the expiry', async () => {
      const ack = await postSlashCommand(url, 'provision busybox 1', slack.responseUrl('e2e'));
      expect(ack.status).toBe(200);
      expect(await ack.text()).toContain('Provisioning busybox');

      const interaction = discordCommand('provision', { image: 'busybox', minutes: 1 });
      const deferred = await postInteraction(url, interaction, keys.privateKey);
      expect(await deferred.json()).toEqual({ type: 5, data: { flags: 64 } });

      const [answer] = await slack.waitForCalls('/hooks/e2e', 1);
      expect(JSON.stringify(answer?.body)).toContain('container is running');
      const slackLease = /lease `?([0-9a-z]{10})/.exec(JSON.stringify(answer?.body))?.[1] ?? '';
      const edit = await rest.waitFor(
        'PATCH',
        new RegExp(`^/webhooks/${APP_ID}/${interaction.token}/messages/@original$`),
      );
      expect(JSON.stringify(edit.body)).toContain('container is running');
      const discordLease = /lease `?([0-9a-z]{10})/.exec(JSON.stringify(edit.body))?.[1] ?? '';

      const slackPosts = () => slack.callsTo('chat.postMessage').map((call) => JSON.stringify(call.body));
      const discordPosts = () =>
        rest.find('POST', /^\/channels\/[^/]+\/messages$/).map((r) => JSON.stringify(r.body));
      const count = (posts: string[], phrase: string) => posts.filter((text) => text.includes(phrase)).length;
      const both = (phrase: string) => count(slackPosts(), phrase) > 0 && count(discordPosts(), phrase) > 0;
      await eventually(() => both(WARNING), 30_000, 'the warnings');
      await eventually(() => both(EXPIRED), 90_000, 'the expiry notices');
      await quietPeriod();
      expect(count(slackPosts(), WARNING)).toBe(1);
      expect(count(discordPosts(), WARNING)).toBe(1);
      expect(count(slackPosts(), EXPIRED)).toBe(1);
      expect(count(discordPosts(), EXPIRED)).toBe(1);
      expect(await run.containers()).toEqual([]);
      // The audit trail holds each lease's changes, once each, with the team it came from.
      const slackOwner = `slack:${ALICE.team}:${ALICE.user}`;
      expect(await auditLines(run.prefix, slackLease)).toEqual([
        `provision ${slackOwner} slack:${ALICE.team} provisioning`,
        `provision ${slackOwner} slack:${ALICE.team} active`,
        `expire system slack:${ALICE.team} removed`,
      ]);
      expect(await auditLines(run.prefix, discordLease)).toEqual([
        `provision discord:${DISCORD_ALICE} discord:${GUILD_ID} provisioning`,
        `provision discord:${DISCORD_ALICE} discord:${GUILD_ID} active`,
        `expire system discord:${GUILD_ID} removed`,
      ]);
    }, 180_000);

    /**
     * Long enough for a repeat to show: three more cleanup runs (each could queue a notice again),
     * then every queued notice delivered and acknowledged (the outbox stream holds only what is
     * still to deliver), so a redelivery would already have been posted.
     */
    async function quietPeriod(): Promise<void> {
      const runs = () => run.app.stdout.split('cleanup run finished').length - 1;
      const seen = runs();
      await eventually(() => runs() >= seen + 3, 30_000, 'three more cleanup runs');
      const redis = testRedis();
      try {
        const stream = new RedisKeys(run.prefix).notifications();
        await eventually(async () => (await redis.xlen(stream)) === 0, 30_000, 'every notice settled');
      } finally {
        redis.disconnect();
      }
    }
  },
);
