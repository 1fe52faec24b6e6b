import { describe, expect, it } from 'vitest';
import { renderReply, replyFiles } from '../../../../../src/bots/discord/render/message.js';
import { reply } from '../../../../../src/bots/replies/reply.js';

const withOutput = (text: string, title = 'done') =>
  reply('success', [title], { output: { text, truncated: false, filename: 'lease-x-output.txt' } });

describe('a command’s output in a Discord message', () => {
  it('GIVEN a short output THEN it is in a code block in the content, fences made harmless, and nothing is attached', () => {
    const short = withOutput('a ``` b\n');
    expect(renderReply(short).content).toBe('done\n```\na `\u200b`\u200b` b\n```');
    expect(replyFiles(short)).toEqual([]);
  });

  it('GIVEN a long output, even under a long title THEN the content stays within 2000 characters, ends with the last lines, and the whole output is attached', () => {
    const text = `${Array.from({ length: 3000 }, (_, i) => `line ${i}`).join('\n')}\n`;
    const long = withOutput(text, 'x'.repeat(1500));
    const content = renderReply(long).content;
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(content).toMatch(/is attached\. Its last lines:\n```\n[\s\S]*line 2999\n```$/);
    const [file] = replyFiles(long);
    expect(file?.name).toBe('lease-x-output.txt');
    expect(Buffer.from(file?.data as Buffer).toString()).toBe(text);
  });
});
