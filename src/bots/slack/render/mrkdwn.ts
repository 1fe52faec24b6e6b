import { fullTime, relativeTime } from '../../replies/plain-text.js';
import type { Inline, Line } from '../../replies/reply.js';

/** Slack reads `&`, `<` and `>` as markup; everything else in mrkdwn text is shown as typed. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function lineToMrkdwn(line: Line, now: number): string {
  return line.map((inline) => inlineToMrkdwn(inline, now)).join('');
}

function inlineToMrkdwn(inline: Inline, now: number): string {
  if (typeof inline === 'string') return escapeMrkdwn(inline);
  if ('strong' in inline) return `*${escapeMrkdwn(inline.strong.replace(/\*/g, ''))}*`;
  if ('code' in inline) return `\`${escapeMrkdwn(inline.code.replace(/`/g, "'"))}\``;
  return slackDate(inline.time, inline.style, now);
}

/**
 * Slack's date formatting: each reader's client shows the time in their own zone (`full`) or
 * relative to their now (`relative`). The fallback, for clients that cannot, is UTC or relative
 * to when the message was rendered.
 */
export function slackDate(epochMs: number, style: 'full' | 'relative', now: number): string {
  const seconds = Math.floor(epochMs / 1000);
  const format = style === 'full' ? '{date_short_pretty} at {time}' : '{ago}';
  const fallback = style === 'full' ? fullTime(epochMs, 'UTC') : relativeTime(epochMs, now);
  return `<!date^${seconds}^${format}|${escapeMrkdwn(fallback).replace(/\|/g, '/')}>`;
}
