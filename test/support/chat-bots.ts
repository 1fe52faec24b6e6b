import { createDiscordBot, type DiscordBot } from '../../src/bots/discord/discord-bot.js';
import type { DiscordConfig } from '../../src/bots/discord/discord-config.js';
import { createSlackBot, type SlackBot } from '../../src/bots/slack/slack-bot.js';
import type { SlackConfig } from '../../src/bots/slack/slack-config.js';
import { type Logger, silentLogger } from '../../src/core/ports/logger.js';
import { APP_ID } from '../fakes/discord-payloads.js';
import { SIGNING_SECRET, SLACK_BOT_TOKEN } from '../fakes/slack-wire.js';
import type { makeBotFixture } from './bot-fixture.js';

type BotFixture = ReturnType<typeof makeBotFixture>;

/** The Slack bot over a bot fixture, in HTTP mode against slack.com (nock) unless `config` says otherwise; no client retries. */
export function testSlackBot(
  fixture: BotFixture,
  config: Partial<SlackConfig> = {},
  logger: Logger = silentLogger,
): SlackBot {
  return createSlackBot({
    config: {
      botToken: SLACK_BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      appToken: undefined,
      apiUrl: 'https://slack.com/api',
      allowedTeams: [],
      ...config,
    },
    runner: fixture.runner,
    replies: fixture.replies,
    logger,
    clientOptions: { retryConfig: { retries: 0 } },
    now: () => fixture.clock.now(),
  });
}

/** The Discord bot over a bot fixture, against a REST fake at `apiUrl`; no REST retries. */
export function testDiscordBot(
  fixture: BotFixture,
  config: Partial<DiscordConfig> & { apiUrl: string },
  logger: Logger = silentLogger,
  rest: { offset?: number } = {},
): DiscordBot {
  return createDiscordBot({
    config: {
      token: undefined,
      applicationId: APP_ID,
      publicKey: undefined,
      guildId: undefined,
      allowedGuilds: [],
      ...config,
    },
    runner: fixture.runner,
    replies: fixture.replies,
    leases: fixture.leases,
    logger,
    clock: fixture.clock,
    rest: { retries: 0, ...rest },
  });
}
