import type { APIInteractionResponse } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { answerCommand } from '../../../../../src/bots/discord/listeners/command-listener.js';
import type { DiscordMessage } from '../../../../../src/bots/discord/render/message.js';
import type { Responder } from '../../../../../src/bots/discord/responder.js';
import { type Reply, reply } from '../../../../../src/bots/replies/reply.js';

/** A responder that records what was sent, in order. */
function recorder() {
  const sent: Array<{ ack: APIInteractionResponse } | { edit: string }> = [];
  const responder: Responder = {
    ack: async (response) => {
      sent.push({ ack: response });
    },
    edit: async (message: DiscordMessage) => {
      sent.push({ edit: message.content });
    },
    followUp: async () => {},
  };
  return { sent, responder };
}

/** A reply the test releases when it wants. */
function gate() {
  let release: (value: Reply) => void = () => {};
  const promise = new Promise<Reply>((resolve) => {
    release = resolve;
  });
  return { promise, release: () => release(reply('success', ['done'])) };
}

describe('answerCommand: every slash command answered or deferred in time', () => {
  it('GIVEN a slow command THEN the deferral is sent before the work starts, and the result is an edit', async () => {
    const { sent, responder } = recorder();
    let sentWhenWorkStarted = -1;
    await answerCommand(
      responder,
      async () => {
        sentWhenWorkStarted = sent.length;
        return reply('success', ['done']);
      },
      { slow: true, deferAfterMs: 60_000 },
    );
    expect(sentWhenWorkStarted).toBe(1);
    expect(sent).toEqual([{ ack: { type: 5, data: { flags: 64 } } }, { edit: 'done' }]);
  });

  it('GIVEN a quick command THEN one message response, nothing deferred', async () => {
    const { sent, responder } = recorder();
    await answerCommand(responder, async () => reply('info', ['quick']), {
      slow: false,
      deferAfterMs: 60_000,
    });
    expect(sent).toEqual([
      {
        ack: expect.objectContaining({
          type: 4,
          data: expect.objectContaining({ content: 'quick', flags: 64 }),
        }),
      },
    ]);
  });

  it('GIVEN a quick command that is still running at the deadline THEN it is deferred, then edited', async () => {
    const { sent, responder } = recorder();
    const work = gate();
    const answered = answerCommand(responder, () => work.promise, { slow: false, deferAfterMs: 5 });
    await expect.poll(() => sent.length).toBe(1);
    expect(sent[0]).toEqual({ ack: { type: 5, data: { flags: 64 } } });
    work.release();
    await answered;
    expect(sent[1]).toEqual({ edit: 'done' });
  });
});
