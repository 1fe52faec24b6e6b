import { bold, inlineCode, TimestampStyles, time } from '@discordjs/formatters';
import type { Inline, Line } from '../../replies/reply.js';

/**
 * A reply line as Discord markdown. Times become Discord's timestamp markup (`<t:epoch:f>`,
 * `<t:epoch:R>`), which every reader's client shows in their own zone and language.
 */
export function lineToMarkdown(line: Line): string {
  return line.map(inlineToMarkdown).join('');
}

function inlineToMarkdown(inline: Inline): string {
  if (typeof inline === 'string') return escapeText(inline);
  if ('strong' in inline) return bold(escapeText(inline.strong));
  // A backtick would end the code span early; the look-alike keeps the text readable.
  if ('code' in inline) return inlineCode(inline.code.replaceAll('`', 'ˋ'));
  const seconds = Math.floor(inline.time / 1000);
  return time(
    seconds,
    inline.style === 'relative' ? TimestampStyles.RelativeTime : TimestampStyles.ShortDateTime,
  );
}

/**
 * Plain text that Discord shows as typed: markdown characters and `<` (mentions, timestamps) are
 * backslash-escaped, and so are quote, heading and list marks at a line start. Linear time, unlike
 * discord.js's escapeMarkdown, which took over a second on 10,000 characters when measured here.
 */
export function escapeText(text: string): string {
  return text.replace(/[\\*_~`|<[]/g, '\\$&').replace(/^([>#-])/gm, '\\$1');
}

/** Cuts text to Discord's limit for a field, keeping an ellipsis so the cut shows. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
