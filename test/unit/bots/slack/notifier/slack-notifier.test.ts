import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { ChannelPacer } from '../../../../../src/bots/slack/notifier/channel-pacer.js';
import { SlackNotifier } from '../../../../../src/bots/slack/notifier/slack-notifier.js';
import { noticeFor } from '../../../../../src/core/domain/notice.js';
import { RetryLaterError } from '../../../../../src/core/ports/notifier.js';
import { makeBotFixture } from '../../../../support/bot-fixture.js';

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

/** A Web API client whose `fetch` is a script: no network, no module mocking. */
function scriptedSlack(answers: Record<string, Answer[]>) {
  const calls: Array<{ method: string; fields: Record<string, string> }> = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const method = String(url).split('/').at(-1) ?? '';
    calls.push({ method, fields: Object.fromEntries(new URLSearchParams(String(init?.body))) });
    const answer = answers[method]?.shift() ?? { status: 200, body: { ok: true, channel: { id: 'D1' } } };
    return new Response(answer.body === undefined ? '' : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json', ...answer.headers },
    });
  };
  const client = new webApi.WebClient('xoxb-test', {
    fetch: fetch as typeof globalThis.fetch,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  return { client, calls };
}

function setup(answers: Record<string, Answer[]> = {}) {
  const { replies, clock } = makeBotFixture();
  const slack = scriptedSlack(answers);
  const notifier = new SlackNotifier({
    client: slack.client,
    replies,
    pacer: new ChannelPacer({ intervalMs: 0 }),
    now: () => clock.now(),
  });
  const notice = (kind: 'warning' | 'expired') =>
    noticeFor(
      kind,
      {
        id: '7k2m9x4qpz',
        owner: 'slack:T1:U1',
        notify: { platform: 'slack', user: 'U1', team: 'T1', channel: 'C1' },
        imageType: 'busybox',
        image: 'local/busybox:latest',
        containerId: 'c1',
        expiresAt: clock.now() + 600_000,
        hardCapAt: clock.now() + 86_400_000,
      },
      clock.now(),
    );
  return { notifier, calls: slack.calls, notice };
}

describe('SlackNotifier: notices as DMs', () => {
  it('GIVEN two notices for one user THEN the DM channel is opened once and both are posted to it', async () => {
    const { notifier, calls, notice } = setup();
    await notifier.deliver(notice('warning'));
    await notifier.deliver(notice('expired'));
    expect(calls.map((call) => call.method)).toEqual([
      'conversations.open',
      'chat.postMessage',
      'chat.postMessage',
    ]);
    expect(calls[0]?.fields.users).toBe('U1');
    expect(calls[1]?.fields).toMatchObject({
      channel: 'D1',
      text: expect.stringContaining('ends in 10 min'),
    });
    expect(JSON.parse(calls[1]?.fields.blocks ?? '[]')).not.toHaveLength(0);
  });

  it('GIVEN Slack answers 429 with Retry-After: 7 THEN RetryLaterError(7000), so the dispatcher pauses Slack', async () => {
    const { notifier, notice } = setup({
      'chat.postMessage': [{ status: 429, headers: { 'retry-after': '7' } }],
    });
    const failure = await notifier.deliver(notice('warning')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RetryLaterError);
    expect((failure as RetryLaterError).retryAfterMs).toBe(7_000);
  });

  it('GIVEN Slack answers 500 THEN a plain error (the notice stays pending), not a pause', async () => {
    const { notifier, notice } = setup({ 'chat.postMessage': [{ status: 500, body: 'oops' }] });
    const failure = await notifier.deliver(notice('warning')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(RetryLaterError);
  });

  it('GIVEN the DM channel is gone (channel_not_found) THEN the next delivery opens it again', async () => {
    const { notifier, calls, notice } = setup({
      'chat.postMessage': [{ status: 200, body: { ok: false, error: 'channel_not_found' } }],
    });
    await expect(notifier.deliver(notice('warning'))).rejects.toThrow('channel_not_found');
    await notifier.deliver(notice('warning'));
    expect(calls.map((call) => call.method)).toEqual([
      'conversations.open',
      'chat.postMessage',
      'conversations.open',
      'chat.postMessage',
    ]);
  });
});
