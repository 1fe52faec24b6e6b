import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { createSlackBot } from '../../../src/bots/slack/slack-bot.js';
import type { Logger } from '../../../src/core/ports/logger.js';
import { RecordingLogger } from '../../doubles/recording-logger.js';
import { ALICE, formBody, SIGNING_SECRET, slashCommand } from '../../fakes/slack-wire.js';
import { makeBotFixture } from '../../support/bot-fixture.js';
import { post } from './http-harness.js';

function slackBot(logger: Logger, signingSecret: string | undefined) {
  const fixture = makeBotFixture();
  return createSlackBot({
    config: {
      botToken: 'xoxb-test',
      signingSecret,
      appToken: undefined,
      apiUrl: 'https://slack.com/api',
      allowedTeams: [],
    },
    runner: fixture.runner,
    replies: fixture.replies,
    logger,
  });
}

describe('Slack HTTP mode on the shared Express app', () => {
  it('GIVEN HTTP mode without a signing secret THEN creating the bot fails, naming SLACK_SIGNING_SECRET', () => {
    expect(() => slackBot(new RecordingLogger(), undefined)).toThrow('SLACK_SIGNING_SECRET');
  });

  it('GIVEN a global body parser mounted BEFORE Slack THEN a 500 and an error log that says what to fix', async () => {
    const logger = new RecordingLogger();
    const bot = slackBot(logger, SIGNING_SECRET);
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    bot.mount?.(app);
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
      const reply = await post(url, formBody(slashCommand('help', ALICE, 'https://hooks.slack.com/c')));
      expect(reply.status).toBe(500);
      expect(logger.lines).toContainEqual(
        expect.objectContaining({
          level: 'error',
          message: expect.stringContaining('mount Slack before body parsers'),
        }),
      );
    } finally {
      server.close();
      await bot.stop();
    }
  });
});
