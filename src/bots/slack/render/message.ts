import type { types } from '@slack/bolt';
import { replyToText } from '../../replies/plain-text.js';
import type { LeaseCard, Reply, ReplyAction, Tone } from '../../replies/reply.js';
import { actionsBlockId } from './block-ids.js';
import { button } from './buttons.js';
import { escapeMrkdwn, lineToMrkdwn } from './mrkdwn.js';
import { type FileDelivery, outputBlocks } from './output-blocks.js';

/** What Slack needs to show a reply: Block Kit blocks and the plain `text` for notifications and old clients. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: types.KnownBlock[];
}

/** A message sent as a command's answer (ack or response_url): for the caller only, or for the channel. */
export interface SlackResponse extends SlackMessage {
  readonly response_type: 'ephemeral' | 'in_channel';
}

/** Slack refuses a message with more than 50 blocks. */
const MAX_BLOCKS = 50;
/** A section's text holds at most 3000 characters. */
const MAX_SECTION_TEXT = 3000;
const BLOCKS_PER_CARD = 3;

const TONE_PREFIX: Record<Tone, string> = {
  info: '',
  success: ':white_check_mark: ',
  warning: ':hourglass_flowing_sand: ',
  error: ':no_entry: ',
};

/**
 * Renders a platform-neutral reply as a Block Kit message; `now` is for relative-time fallbacks,
 * `file` says whether a command's output too long to show went to the caller as a file.
 */
export function renderReply(reply: Reply, now: number, file?: FileDelivery): SlackMessage {
  const blocks: types.KnownBlock[] = [section(TONE_PREFIX[reply.tone] + lineToMrkdwn(reply.title, now))];
  if (reply.body.length > 0)
    blocks.push(section(reply.body.map((line) => lineToMrkdwn(line, now)).join('\n')));
  if (reply.output) blocks.push(...outputBlocks(reply.output, file));
  const oneLease = reply.cards.length <= 1;
  if (reply.actions.length > 0)
    blocks.push(actionsBlock(reply.actions, `reply:${subjectOf(reply.actions)}`, oneLease));
  const room = Math.floor((MAX_BLOCKS - blocks.length - 1) / BLOCKS_PER_CARD);
  const shown = reply.cards.slice(0, room);
  for (const card of shown) blocks.push(...cardBlocks(card, oneLease, now));
  if (shown.length < reply.cards.length) {
    const more = reply.cards.length - shown.length;
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${more} more not shown here.` }],
    });
  }
  // The fallback text is for notifications: the output stays in the blocks.
  const text = replyToText({ ...reply, output: undefined }, { now, timeZone: 'UTC' });
  return { text: escapeMrkdwn(text), blocks };
}

/** A reply as a command's answer; replies are for the caller alone unless they say otherwise. */
export function renderResponse(reply: Reply, now: number, file?: FileDelivery): SlackResponse {
  return { response_type: reply.ephemeral ? 'ephemeral' : 'in_channel', ...renderReply(reply, now, file) };
}

function cardBlocks(card: LeaseCard, oneLease: boolean, now: number): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [
    { type: 'divider' },
    {
      type: 'section',
      text: mrkdwn(lineToMrkdwn(card.title, now)),
      fields: card.fields
        .slice(0, 10)
        .map((field) => mrkdwn(`*${escapeMrkdwn(field.label)}*\n${lineToMrkdwn(field.value, now)}`, 2000)),
    },
  ];
  if (card.actions.length > 0) blocks.push(actionsBlock(card.actions, card.leaseId, oneLease));
  return blocks;
}

function actionsBlock(
  actions: readonly ReplyAction[],
  subject: string,
  oneLease: boolean,
): types.ActionsBlock {
  return {
    type: 'actions',
    block_id: actionsBlockId(subject, oneLease),
    elements: actions.slice(0, 25).map((action, index) => button(action, index)),
  };
}

/** The lease a reply-level row of buttons is about, or `links` for links alone. */
function subjectOf(actions: readonly ReplyAction[]): string {
  for (const action of actions) if (action.kind !== 'link') return action.leaseId;
  return 'links';
}

function section(text: string): types.SectionBlock {
  return { type: 'section', text: mrkdwn(text) };
}

function mrkdwn(text: string, max = MAX_SECTION_TEXT): types.MrkdwnElement {
  return { type: 'mrkdwn', text: text.length > max ? `${text.slice(0, max - 1)}…` : text };
}
