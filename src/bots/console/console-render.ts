import { replyToText } from '../replies/plain-text.js';
import type { Reply, Tone } from '../replies/reply.js';

const MARKS: Record<Tone, string> = { info: '·', success: '✓', warning: '!', error: '✗' };
const COLOURS: Record<Tone, string> = { info: '36', success: '32', warning: '33', error: '31' };

/** A reply as console text: a mark for its tone (coloured on a terminal) and an optional label. */
export function renderConsoleReply(reply: Reply, now: number, colour: boolean, label?: string): string {
  const mark = colour ? `\u001b[${COLOURS[reply.tone]}m${MARKS[reply.tone]}\u001b[0m` : MARKS[reply.tone];
  const prefix = label ? `${mark} [${label}] ` : `${mark} `;
  return `${prefix}${replyToText(reply, { now })}`;
}
