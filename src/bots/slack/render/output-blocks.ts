import type { types } from '@slack/bolt';
import { excerpt, fenceSafe } from '../../replies/command-output.js';
import type { CommandOutput } from '../../replies/reply.js';
import { escapeMrkdwn } from './mrkdwn.js';

/** Output shown in a message, at most: a section holds 3000 characters, with room for the fences. */
export const SLACK_OUTPUT_CHARS = 2_900;
/** The end of a long output, shown beside the file. */
const TAIL_CHARS = 1_500;

/** Whether the whole output went as a file into the caller's DM. */
export type FileDelivery = 'sent' | 'failed';

/** Whether an output is shown whole in the message, or needs a file. */
export function outputFits(output: CommandOutput): boolean {
  return shown(output.text).length <= SLACK_OUTPUT_CHARS;
}

/** The output in a code block, whole; or, when it needs a file, its last lines and where the rest is. */
export function outputBlocks(output: CommandOutput, file: FileDelivery | undefined): types.KnownBlock[] {
  if (outputFits(output)) return [section(fenced(shown(output.text)))];
  const tail = lastLinesThatFit(output.text);
  const size = `${Math.ceil(Buffer.byteLength(output.text) / 1024)} KiB${output.truncated ? ', cut at 1 MiB' : ''}`;
  const where =
    file === 'sent'
      ? `The whole output (${size}) is in a file in your DM with me, where only you can see it. Its last lines:`
      : `The whole output (${size}) could not be sent as a file. Its last lines:`;
  return [section(escapeMrkdwn(where)), section(fenced(shown(tail)))];
}

/** The last lines of about TAIL_CHARS characters, fewer where escaping makes them longer. */
function lastLinesThatFit(text: string): string {
  for (let chars = TAIL_CHARS; ; chars = Math.floor(chars / 2)) {
    const tail = excerpt(text, chars).text;
    if (shown(tail).length <= SLACK_OUTPUT_CHARS) return tail;
  }
}

function shown(text: string): string {
  return escapeMrkdwn(fenceSafe(text.replace(/\n+$/, '')));
}

function fenced(text: string): string {
  return `\`\`\`\n${text}\n\`\`\``;
}

function section(text: string): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}
