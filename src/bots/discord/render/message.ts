import type { APIAllowedMentions, APIEmbed } from 'discord.js';
import type { LeaseCard, Reply, Tone } from '../../replies/reply.js';
import { actionButton, type ButtonRow, buttonRows } from './buttons.js';
import { clip, lineToMarkdown } from './markdown.js';

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
const MAX_EMBEDS = 10;
const MAX_FIELD = 1024;
const MAX_DESCRIPTION = 4096;

/**
 * A reply as a Discord message: title and body as the text, one embed per lease card (its
 * facts as fields), and one row of buttons per card, then the reply's own buttons.
 */
export function renderReply(reply: Reply): DiscordMessage {
  const cards = reply.cards.slice(0, MAX_EMBEDS);
  const lines = [reply.title, ...reply.body].map(lineToMarkdown);
  if (cards.length < reply.cards.length) lines.push(`…and ${reply.cards.length - cards.length} more.`);
  const several = cards.length > 1;
  return {
    content: clip(lines.join('\n'), MAX_CONTENT),
    embeds: cards.map((card) => cardEmbed(card, reply.tone)),
    components: buttonRows([
      // With several cards, each button names its lease so the rows cannot be mixed up.
      ...cards.map((card) =>
        card.actions.map((action) =>
          actionButton(action, several ? `${action.label} · ${card.leaseId}` : action.label),
        ),
      ),
      reply.actions.map((action) => actionButton(action)),
    ]),
    allowed_mentions: { parse: [] },
  };
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
