import { afterAll, beforeAll, expect, it } from 'vitest';
import { DiscordGatewayFake } from '../fakes/discord-gateway-fake.js';
import { APP_ID, slashCommand as discordCommand } from '../fakes/discord-payloads.js';
import { DiscordRestFake } from '../fakes/discord-rest-fake.js';
import { discordKeyPair, discordSignature } from '../fakes/discord-signing.js';
import { SlackWebApiFake } from '../fakes/slack-web-api-fake.js';
import { ALICE, FORM, formBody, SIGNING_SECRET, slackSignature, slashCommand } from '../fakes/slack-wire.js';
import { startTestApp } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { describeWith } from '../support/services.js';

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
        SLACK_BOT_TOKEN: 'xoxb-e2e-token',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: `${slack.origin}/api`,
        DISCORD_TOKEN: 'fake-bot-token-0123456789',
        DISCORD_APPLICATION_ID: APP_ID,
        DISCORD_PUBLIC_KEY: keys.publicKeyHex,
        DISCORD_API_URL: rest.api,
      });
      url = await run.url();
    });

    afterAll(async () => {
      run.app.child.kill('SIGTERM');
      expect(await run.app.exited).toBe(0);
      await Promise.all([slack.close(), rest.close(), gateway.close()]);
      await run.clean();
    });

    it('GIVEN /lease provision from Slack and from Discord THEN both are acknowledged at once, answered, warned and told of the expiry', async () => {
      const slackBody = formBody(slashCommand('provision busybox 1', ALICE, slack.responseUrl('e2e')));
      const ack = await fetch(`${url}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': FORM, ...slackSignature(slackBody) },
        body: slackBody,
      });
      expect(ack.status).toBe(200);
      expect(await ack.text()).toContain('Provisioning busybox');

      const interaction = discordCommand('provision', { image: 'busybox', minutes: 1 });
      const raw = JSON.stringify(interaction);
      const deferred = await fetch(`${url}/discord/interactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...discordSignature(raw, keys.privateKey) },
        body: raw,
      });
      expect(await deferred.json()).toEqual({ type: 5, data: { flags: 64 } });

      const [answer] = await slack.waitForCalls('/hooks/e2e', 1);
      expect(JSON.stringify(answer?.body)).toContain('container is running');
      const edit = await rest.waitFor(
        'PATCH',
        new RegExp(`^/webhooks/${APP_ID}/${interaction.token}/messages/@original$`),
      );
      expect(JSON.stringify(edit.body)).toContain('container is running');

      const slackPosts = () => slack.callsTo('chat.postMessage').map((call) => JSON.stringify(call.body));
      const discordPosts = () =>
        rest.find('POST', /^\/channels\/[^/]+\/messages$/).map((r) => JSON.stringify(r.body));
      const both = (word: string) =>
        slackPosts().some((text) => text.includes(word)) &&
        discordPosts().some((text) => text.includes(word));
      await eventually(() => both('ends'), 30_000, 'the warnings');
      await eventually(() => both('expired'), 90_000, 'the expiry notices');
      expect(slackPosts().filter((text) => text.includes('expired'))).toHaveLength(1);
      expect(discordPosts().filter((text) => text.includes('expired'))).toHaveLength(1);
      expect(await run.containers()).toEqual([]);
    }, 180_000);
  },
);
