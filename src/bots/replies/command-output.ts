/**
 * A command's output made fit for a chat message: terminal escapes stripped (colours, cursor moves,
 * titles), a line redrawn with `\r` kept as it last read, other control characters dropped, and
 * fences made harmless, so that no output can end the code block it is shown in or restyle the
 * message around it.
 */
const ESCAPES =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escapes are control characters
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u001b[@-_]|\u009b[0-?]*[ -/]*[@-~]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: what is left of the control characters
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const ZERO_WIDTH_SPACE = '\u200b';

export function cleanOutput(text: string): string {
  return text
    .replace(ESCAPES, '')
    .split('\n')
    .map((line) => {
      const redrawn = line.replace(/\r+$/, '');
      return redrawn.slice(redrawn.lastIndexOf('\r') + 1);
    })
    .join('\n')
    .replace(CONTROLS, '');
}

/** Three backticks end a code block: a zero-width space between them keeps them as they look. */
export function fenceSafe(text: string): string {
  return text.replace(/`(?=`)/g, `\`${ZERO_WIDTH_SPACE}`);
}

/** What of an output fits in `maxChars`: all of it, or its last whole lines (where errors are). */
export interface Excerpt {
  readonly text: string;
  readonly whole: boolean;
}

export function excerpt(text: string, maxChars: number): Excerpt {
  if (text.length <= maxChars) return { text, whole: true };
  const tail = text.slice(text.length - maxChars);
  const lineStart = tail.indexOf('\n');
  return {
    text: lineStart >= 0 && lineStart < tail.length - 1 ? tail.slice(lineStart + 1) : tail,
    whole: false,
  };
}
