import { MINUTE_MS } from '../../core/domain/lease.js';
import type { Inline, Line, Reply, ReplyAction } from './reply.js';

export interface PlainTextOptions {
  /** For relative times ("in 42 min"). */
  readonly now: number;
  /** IANA zone for full times; the process's zone when absent. */
  readonly timeZone?: string;
}

/** A reply as plain text lines: the console's rendering, and the fallback text of chat messages. */
export function replyToText(reply: Reply, options: PlainTextOptions): string {
  const lines = [lineToText(reply.title, options), ...reply.body.map((line) => lineToText(line, options))];
  if (reply.output) lines.push(reply.output.text.replace(/\n+$/, ''));
  for (const card of reply.cards) {
    lines.push(`  ${lineToText(card.title, options)}`);
    for (const field of card.fields) lines.push(`    ${field.label}: ${lineToText(field.value, options)}`);
    if (card.actions.length > 0) lines.push(`    ${card.actions.map(actionToText).join('  ·  ')}`);
  }
  if (reply.actions.length > 0) lines.push(reply.actions.map(actionToText).join('  ·  '));
  return lines.join('\n');
}

export function lineToText(line: Line, options: PlainTextOptions): string {
  return line.map((inline) => inlineToText(inline, options)).join('');
}

function inlineToText(inline: Inline, options: PlainTextOptions): string {
  if (typeof inline === 'string') return inline;
  if ('strong' in inline) return inline.strong;
  if ('code' in inline) return inline.code;
  return inline.style === 'relative'
    ? relativeTime(inline.time, options.now)
    : fullTime(inline.time, options.timeZone);
}

/** What a button does, as the command that does the same in a terminal. */
function actionToText(action: ReplyAction): string {
  if (action.kind === 'extend') return `${action.label}: /lease extend ${action.leaseId} ${action.minutes}`;
  if (action.kind === 'stop') return `${action.label}: /lease stop ${action.leaseId}`;
  return `${action.label}: ${action.url}`;
}

/**
 * One formatter per zone, kept: building an Intl.DateTimeFormat costs about a hundred times as much
 * as formatting with one, and every reply that shows an expiry formats it (npm run bench profiled it
 * as the top cost of our own code behind a provision's Slack answer).
 */
const fullTimeFormats = new Map<string | undefined, Intl.DateTimeFormat>();

export function fullTime(epochMs: number, timeZone?: string): string {
  let format = fullTimeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone,
      timeZoneName: 'short',
    });
    fullTimeFormats.set(timeZone, format);
  }
  return format.format(epochMs);
}

export function relativeTime(epochMs: number, now: number): string {
  const minutes = Math.round((epochMs - now) / MINUTE_MS);
  const amount =
    Math.abs(minutes) < 120 ? `${Math.abs(minutes)} min` : `${Math.round(Math.abs(minutes) / 60)} h`;
  if (minutes === 0) return 'now';
  return minutes > 0 ? `in ${amount}` : `${amount} ago`;
}
