import type { RawFile } from '@discordjs/rest';
import { excerpt, fenceSafe } from '../../replies/command-output.js';
import type { CommandOutput } from '../../replies/reply.js';

/** Output shown in a message at most, leaving room in its 2000 characters for what precedes it. */
export const DISCORD_OUTPUT_CHARS = 1_900;
/** The end of a long output, shown above the file. */
const TAIL_CHARS = 1_200;

/**
 * A command's output as Discord shows it, within `room` characters of the message: the whole
 * output in a code block, or its last lines and a pointer to the whole output, attached as a file.
 */
export function outputContent(output: CommandOutput, room: number): string {
  const budget = Math.min(DISCORD_OUTPUT_CHARS, room);
  const whole = fenced(output.text);
  if (whole.length <= budget) return whole;
  const size = `${Math.ceil(Buffer.byteLength(output.text) / 1024)} KiB${output.truncated ? ', cut at 1 MiB' : ''}`;
  const note = `The whole output (${size}) is attached. Its last lines:\n`;
  const tail = excerpt(output.text, Math.max(0, Math.min(TAIL_CHARS, budget - note.length - 12))).text;
  return `${note}${fenced(tail)}`;
}

/** The output as a file, when it is too long to show whole. */
export function outputFiles(output: CommandOutput | undefined, room: number): RawFile[] {
  if (!output || fenced(output.text).length <= Math.min(DISCORD_OUTPUT_CHARS, room)) return [];
  return [
    {
      name: output.filename,
      data: Buffer.from(output.text, 'utf8'),
      contentType: 'text/plain; charset=utf-8',
    },
  ];
}

function fenced(text: string): string {
  return `\`\`\`\n${fenceSafe(text.replace(/\n+$/, ''))}\n\`\`\``;
}
