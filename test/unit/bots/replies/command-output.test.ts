import { describe, expect, it } from 'vitest';
import { cleanOutput, excerpt, fenceSafe } from '../../../../src/bots/replies/command-output.js';

describe('a command’s output made fit for a chat message', () => {
  it.each([
    ['colours', '\x1b[1;31merror\x1b[0m: no', 'error: no'],
    ['a window title (OSC, BEL and ST)', '\x1b]0;title\x07a\x1b]2;t\x1b\\b', 'ab'],
    ['cursor moves and erasing', 'x\x1b[2K\x1b[1Gy\x1b[?25l', 'xy'],
    ['a progress bar redrawn with \\r', ' 10%\r 50%\r100%\ndone\r\n', '100%\ndone\n'],
    ['bells, backspaces and other controls', 'a\x07b\x08c\x00d\x7f', 'abcd'],
    ['tabs and newlines, which stay', 'a\tb\nc', 'a\tb\nc'],
    ['multi-byte text', 'ünïcødé ✓ 日本語 🚀', 'ünïcødé ✓ 日本語 🚀'],
  ])('GIVEN %s THEN what a terminal would finally show, as plain text', (_name, raw, clean) => {
    expect(cleanOutput(raw)).toBe(clean);
  });

  it('GIVEN backticks THEN no run of three is left to close a code block, and they read the same', () => {
    const safe = fenceSafe('a ``` b ```` c ` d');
    expect(safe).not.toContain('```');
    expect(safe.replace(/\u200b/g, '')).toBe('a ``` b ```` c ` d');
  });

  it('GIVEN an output longer than the room THEN its last whole lines, marked as not whole', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const tail = excerpt(text, 50);
    expect(tail.whole).toBe(false);
    expect(tail.text.length).toBeLessThanOrEqual(50);
    expect(tail.text.startsWith('line ')).toBe(true);
    expect(tail.text.endsWith('line 99')).toBe(true);
    expect(excerpt('short', 50)).toEqual({ text: 'short', whole: true });
  });
});
