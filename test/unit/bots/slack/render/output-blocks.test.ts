import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { reply } from '../../../../../src/bots/replies/reply.js';
import { renderReply } from '../../../../../src/bots/slack/render/message.js';
import { SLACK_OUTPUT_CHARS } from '../../../../../src/bots/slack/render/output-blocks.js';

const withOutput = (text: string) =>
  reply('success', ['done'], { output: { text, truncated: false, filename: 'lease-x-output.txt' } });
const sections = (blocks: types.KnownBlock[]) =>
  blocks
    .filter((block): block is types.SectionBlock => block.type === 'section')
    .map((block) => block.text?.text ?? '');

describe('a command’s output in a Slack message', () => {
  it('GIVEN a short output THEN it is shown whole in a code block, escaped, and not in the fallback text', () => {
    const message = renderReply(withOutput('a <b> & c\n```\nd\n'), 0);
    const [, code] = sections(message.blocks);
    expect(code).toBe('```\na &lt;b&gt; &amp; c\n`\u200b`\u200b`\nd\n```');
    expect(message.text).toBe('done');
  });

  it('GIVEN an output too long for a message THEN the DM file is named and its last lines are shown, every section within Slack’s 3000 characters', () => {
    const long = `${'<&>'.repeat(3000)}\n${'x'.repeat(100)}\nlast line\n`;
    for (const [file, says] of [
      ['sent', 'is in a file in your DM with me'],
      ['failed', 'could not be sent as a file'],
    ] as const) {
      const texts = sections(renderReply(withOutput(long), 0, file).blocks);
      expect(texts[1]).toContain(says);
      expect(texts[2]).toMatch(/^```\n[\s\S]*last line\n```$/);
      for (const text of texts) expect(text.length).toBeLessThanOrEqual(SLACK_OUTPUT_CHARS + 100);
    }
  });
});
