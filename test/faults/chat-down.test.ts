import { afterEach, describe, expect, it } from 'vitest';
import { DiscordGatewayFake } from '../fakes/discord-gateway-fake.js';
import { APP_ID, DISCORD_TOKEN } from '../fakes/discord-payloads.js';
import { DiscordRestFake } from '../fakes/discord-rest-fake.js';
import { SlackWebApiFake } from '../fakes/slack-web-api-fake.js';
import { ALICE } from '../fakes/slack-wire.js';
import type { AppProcess } from '../support/app-process.js';
import { discordFakeEnv, slackFakeEnv } from '../support/chat-wire.js';
import { eventually } from '../support/eventually.js';
import { REDIS_URL } from '../support/services.js';
import { leftovers, makeScenario } from './fault-kit.js';

const DISCORD_USER = '444444444444444444';

describe('fault: the chat platforms are down when the notices are due', () => {
  let scenario: ReturnType<typeof makeScenario>;
  let apps: AppProcess[] = [];
  let slack: SlackWebApiFake;
  let rest: DiscordRestFake;
  let gateway: DiscordGatewayFake;

  afterEach(async () => {
    await scenario.close(apps);
    apps = [];
    await Promise.all([slack.close(), rest.close(), gateway.close()]);
  });

  it("GIVEN Slack refusing each notice's first delivery and Discord answering 500 for a while THEN every notice arrives afterwards, exactly once", async () => {
    slack = await SlackWebApiFake.start();
    rest = await DiscordRestFake.start();
    gateway = await DiscordGatewayFake.start({ applicationId: APP_ID, userId: '777777777777777777' });
    rest.gatewayUrl = gateway.url;
    rest.failNext('POST', /^\/users\/@me\/channels$/, { status: 500, body: { message: 'oops', code: 0 } }, 3);

    scenario = makeScenario(REDIS_URL);
    const onSlack = {
      owner: `slack:${ALICE.team}:${ALICE.user}`,
      notify: { platform: 'slack', user: ALICE.user, team: ALICE.team, channel: ALICE.channel },
    };
    const onDiscord = {
      owner: `discord:${DISCORD_USER}`,
      notify: { platform: 'discord', user: DISCORD_USER, channel: '333333333333333333' },
    };
    const slackLeases = await Promise.all([1, 2, 3].map(() => scenario.provision(2_000, 'busybox', onSlack)));
    const discordLeases = await Promise.all(
      [1, 2, 3].map(() => scenario.provision(2_000, 'busybox', onDiscord)),
    );
    // Slack refuses each notice's first delivery, whenever it comes (a wall-clock outage would
    // end before a slow machine had provisioned the leases, and prove nothing).
    const slackRefused = new Set<string>();
    const slackAccepted: string[] = [];
    slack.on('chat.postMessage', (call) => {
      const text = JSON.stringify(call.body);
      const lease = slackLeases.find((candidate) => text.includes(candidate.id));
      if (lease && !slackRefused.has(lease.id)) {
        slackRefused.add(lease.id);
        return { status: 500, body: { ok: false, error: 'internal_error' } };
      }
      slackAccepted.push(text);
      return { body: { ok: true, channel: call.body.channel, ts: `${Date.now() / 1000}` } };
    });
    apps.push(
      scenario.startApp({
        ...slackFakeEnv(slack),
        DISCORD_TOKEN,
        ...discordFakeEnv(rest),
      }),
    );

    const delivered = (texts: string[], id: string) =>
      texts.filter((text) => text.includes(id) && text.includes('expired'));
    const discordTexts = () =>
      rest.find('POST', /^\/channels\/[^/]+\/messages$/).map((r) => JSON.stringify(r.body));

    await eventually(
      () =>
        slackLeases.every((lease) => delivered(slackAccepted, lease.id).length >= 1) &&
        discordLeases.every((lease) => delivered(discordTexts(), lease.id).length >= 1),
      120_000,
      'every notice after the outage',
    );
    expect(await leftovers(scenario)).toEqual({ containers: 0, leases: 0 });
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(slackRefused.size).toBe(slackLeases.length);
    expect(slack.callsTo('chat.postMessage').length).toBe(slackAccepted.length + slackRefused.size);
    for (const lease of slackLeases) expect(delivered(slackAccepted, lease.id)).toHaveLength(1);
    for (const lease of discordLeases) expect(delivered(discordTexts(), lease.id)).toHaveLength(1);
  });
});
