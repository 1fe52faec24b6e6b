import { describe, expect, it } from 'vitest';
import { replyToText } from '../../../../../src/bots/replies/plain-text.js';
import { reply } from '../../../../../src/bots/replies/reply.js';
import { renderReply, renderResponse } from '../../../../../src/bots/slack/render/message.js';
import { makeBotFixture } from '../../../../support/bot-fixture.js';

const alice = { owner: 'slack:T1:U1', notify: { platform: 'slack', user: 'U1', team: 'T1' } };

interface AnyBlock {
  type: string;
  block_id?: string;
  text?: { text: string };
  fields?: Array<{ text: string }>;
  elements?: Array<Record<string, unknown>>;
}

describe('renderReply: the reply model as Block Kit', () => {
  it('GIVEN a provisioned lease THEN a card with fields in Slack date format and Extend, Stop (confirm), Terminal and Logs buttons', async () => {
    const { runner, clock } = makeBotFixture();
    const provisioned = await runner.runText('provision busybox 60', alice);
    const id = provisioned.cards[0]?.leaseId ?? '';
    const expires = Math.floor((clock.now() + 60 * 60_000) / 1000);

    const blocks = renderReply(provisioned, clock.now()).blocks as AnyBlock[];

    expect(blocks.map((block) => block.type)).toEqual(['section', 'divider', 'section', 'actions']);
    expect(blocks[0]?.text?.text).toBe(
      `:white_check_mark: Your *busybox* container is running: lease \`${id}\``,
    );
    expect(blocks[2]?.fields?.[0]?.text).toBe(
      `*Expires*\n<!date^${expires}^{date_short_pretty} at {time}|29 Nov 2026, 13:00 UTC> (<!date^${expires}^{ago}|in 60 min>)`,
    );
    const actions = blocks[3];
    expect(actions?.block_id).toBe(`lease:${id}`);
    expect(actions?.elements).toEqual([
      expect.objectContaining({ action_id: `lease:extend:${id}:30`, style: 'primary', value: id }),
      expect.objectContaining({ action_id: `lease:extend:${id}:480`, value: id }),
      expect.objectContaining({
        action_id: `lease:stop:${id}`,
        style: 'danger',
        confirm: expect.objectContaining({ confirm: { type: 'plain_text', text: 'Stop it', emoji: true } }),
      }),
      expect.objectContaining({
        action_id: 'lease:link:3',
        url: expect.stringMatching(/^http:\/\/lease\.test\/terminal\//),
      }),
      expect.objectContaining({
        action_id: 'lease:link:4',
        url: expect.stringMatching(/^http:\/\/lease\.test\/logs\//),
      }),
    ]);
    expect(actions?.elements?.[1]).not.toHaveProperty('style');
  });

  it('GIVEN text with <, > and & THEN it is escaped in blocks and in the text fallback', () => {
    const message = renderReply(reply('error', ['Image "<b>&co" is unknown']), 0);
    expect((message.blocks[0] as AnyBlock).text?.text).toBe(':no_entry: Image "&lt;b&gt;&amp;co" is unknown');
    expect(message.text).toBe('Image "&lt;b&gt;&amp;co" is unknown');
  });

  it('GIVEN any reply THEN the text fallback is its plain-text rendering in UTC', async () => {
    const { runner, clock } = makeBotFixture();
    const listed = await runner.runText('list', alice);
    expect(renderReply(listed, clock.now()).text).toBe(
      replyToText(listed, { now: clock.now(), timeZone: 'UTC' }),
    );
  });

  it('GIVEN more leases than 50 blocks can hold THEN the message stays within 50 blocks and says how many are not shown', () => {
    const card = (n: number) => ({
      leaseId: `lease${String(n).padStart(5, '0')}`,
      title: [`lease ${n}`],
      fields: [],
      actions: [{ kind: 'extend' as const, leaseId: `lease${n}`, minutes: 30, label: 'Extend +30 min' }],
    });
    const many = reply('info', ['40 leases in all'], {
      cards: Array.from({ length: 40 }, (_, n) => card(n)),
    });
    const blocks = renderReply(many, 0).blocks as AnyBlock[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(blocks.at(-1)).toMatchObject({
      type: 'context',
      elements: [{ text: '…and 24 more not shown here.' }],
    });
    expect(
      blocks
        .filter((block) => block.type === 'actions')
        .every((block) => block.block_id?.startsWith('list:')),
    ).toBe(true);
  });

  it('GIVEN a warning notice THEN its reply-level Extend buttons mark the message as about one lease', () => {
    const { replies, clock } = makeBotFixture();
    const now = clock.now();
    const warning = replies.notice({
      id: `warning:7k2m9x4qpz:${now + 600_000}`,
      kind: 'warning',
      leaseId: '7k2m9x4qpz',
      owner: 'slack:T1:U1',
      notify: alice.notify,
      imageType: 'busybox',
      image: 'local/busybox:latest',
      containerId: 'c1',
      expiresAt: now + 600_000,
      hardCapAt: now + 86_400_000,
      at: now,
    });
    const actions = (renderReply(warning, now).blocks as AnyBlock[]).find(
      (block) => block.type === 'actions',
    );
    expect(actions?.block_id).toBe('lease:reply:7k2m9x4qpz');
    expect(actions?.elements?.map((element) => element.action_id)).toEqual([
      'lease:extend:7k2m9x4qpz:30',
      'lease:extend:7k2m9x4qpz:480',
      'lease:link:2',
      'lease:link:3',
    ]);
  });

  it('GIVEN a reply THEN it answers the caller alone (ephemeral) unless it says it is for the channel', () => {
    expect(renderResponse(reply('info', ['just you']), 0).response_type).toBe('ephemeral');
    expect(renderResponse(reply('info', ['everyone'], { ephemeral: false }), 0).response_type).toBe(
      'in_channel',
    );
  });
});
