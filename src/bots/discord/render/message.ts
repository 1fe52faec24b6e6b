import type { APIAllowedMentions, APIEmbed } from 'discord-api-types/v10';
import type { LeaseCard, Reply, Tone } from '../../replies/reply.js';
import { actionButton, type ButtonRow, buttonRows } from './buttons.js';
import { clip, lineToMarkdown } from './markdown.js';
import { outputContent, outputFiles } from './output-content.js';

/** The body of a Discord message, as sent in an interaction response, a webhook edit or a DM. */
export interface DiscordMessage {
  readonly content: string;
  readonly embeds: APIEmbed[];
  readonly components: ButtonRow[];
  /** Nothing pings unless a caller opts in: replies echo user input, which may hold mentions. */
  readonly allowed_mentions: APIAllowedMentions;
}

const TONE_COLOURS: Record<Tone, number> = {
  info: 0x5865f2,
  success: 0x57f287,
  warning: 0xfee75c,
  error: 0xed4245,
};

/** Discord's limits for one message. */
const MAX_CONTENT = 2000;
const MAX_ROWS = 5;
const MAX_EMBEDS = 10;
const MAX_FIELD = 1024;
const MAX_DESCRIPTION = 4096;

/**
 * A reply as a Discord message: title and body as the text (then a command's output), one embed
 * per lease card (its facts as fields), and one row of buttons per card, then the reply's own
 * buttons, which are kept when there are more rows than Discord takes.
 */
export function renderReply(reply: Reply): DiscordMessage {
  const cards = reply.cards.slice(0, MAX_EMBEDS);
  const head = clip(headLines(reply).join('\n'), MAX_CONTENT);
  const output = reply.output ? `\n${outputContent(reply.output, outputRoom(head))}` : '';
  const several = cards.length > 1;
  const own = reply.actions.map((action) => actionButton(action));
  return {
    content: head + output,
    embeds: cards.map((card) => cardEmbed(card, reply.tone)),
    components: buttonRows([
      // With several cards, each button names its lease so the rows cannot be mixed up.
      ...cards
        .map((card) =>
          card.actions.map((action) =>
            actionButton(action, several ? `${action.label} · ${card.leaseId}` : action.label),
          ),
        )
        .slice(0, own.length > 0 ? MAX_ROWS - 1 : MAX_ROWS),
      own,
    ]),
    allowed_mentions: { parse: [] },
  };
}

/** The files a reply comes with: a command's output too long to show. */
export function replyFiles(reply: Reply) {
  return outputFiles(reply.output, outputRoom(clip(headLines(reply).join('\n'), MAX_CONTENT)));
}

function headLines(reply: Reply): string[] {
  const lines = [reply.title, ...reply.body].map(lineToMarkdown);
  const hidden = reply.cards.length - Math.min(reply.cards.length, MAX_EMBEDS);
  if (hidden > 0) lines.push(`…and ${hidden} more.`);
  return lines;
}

function outputRoom(head: string): number {
  return MAX_CONTENT - head.length - 1;
}

function cardEmbed(card: LeaseCard, tone: Tone): APIEmbed {
  return {
    color: TONE_COLOURS[tone],
    description: clip(lineToMarkdown(card.title), MAX_DESCRIPTION),
    fields: card.fields.map((field) => ({
      name: field.label,
      value: clip(lineToMarkdown(field.value), MAX_FIELD) || '—',
      inline: true,
    })),
  };
}
