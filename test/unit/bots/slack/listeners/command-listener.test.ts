import { type SlackCommandMiddlewareArgs, webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import type { CommandRunner } from '../../../../../src/bots/command-runner.js';
import { InFlight } from '../../../../../src/bots/in-flight.js';
import { ReplyBuilder } from '../../../../../src/bots/replies/reply-builder.js';
import { commandListener } from '../../../../../src/bots/slack/listeners/command-listener.js';
import { OutputFiles } from '../../../../../src/bots/slack/listeners/output-file.js';
import { LinkTokens } from '../../../../../src/core/links/link-tokens.js';
import { SignedLinks } from '../../../../../src/core/links/signed-links.js';
import { silentLogger } from '../../../../../src/core/ports/logger.js';

const replies = new ReplyBuilder({
  images: () => [],
  links: new SignedLinks(
    new LinkTokens('unit-test-link-secret-0123456789abcdef', () => 0),
    'http://lease.test',
    () => 0,
  ),
  clock: { now: () => 0 },
  defaultMaxMinutes: 60,
});

/** A listener whose runner and Bolt calls write what happened, in order, to `events`. */
function recordingListener(events: string[]) {
  const runner = {
    run: async () => {
      events.push('work');
      return replies.provisioning('busybox', 30);
    },
  } as unknown as CommandRunner;
  const inFlight = new InFlight();
  const listener = commandListener({
    runner,
    replies,
    logger: silentLogger,
    now: () => 0,
    inFlight,
    ackBudgetMs: 1_000,
    allowedTeams: [],
    // Provisions print no output: no file is ever sent here.
    files: new OutputFiles(new webApi.WebClient('xoxb-unit-test'), silentLogger),
  });
  const command = (user: string) =>
    ({
      command: { text: 'provision busybox 30', team_id: 'T1', user_id: user, channel_id: 'C1' },
      ack: async () => {
        events.push(`ack ${user}`);
      },
      respond: async () => {
        events.push(`answer ${user}`);
      },
    }) as unknown as SlackCommandMiddlewareArgs;
  return { listener, command, inFlight };
}

describe('the /lease command listener under a burst', () => {
  it('GIVEN a provision and another command in the next I/O turn THEN both are acked before the first one’s work starts', async () => {
    const events: string[] = [];
    const { listener, command, inFlight } = recordingListener(events);
    void listener(command('U1'));
    setImmediate(() => void listener(command('U2')));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await inFlight.settle(1_000);
    expect(events.slice(0, 2)).toEqual(['ack U1', 'ack U2']);
    expect(events.filter((event) => event === 'work')).toHaveLength(2);
    expect(events.filter((event) => event.startsWith('answer'))).toEqual(['answer U1', 'answer U2']);
  });
});
