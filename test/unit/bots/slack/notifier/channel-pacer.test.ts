import { describe, expect, it } from 'vitest';
import { ChannelPacer } from '../../../../../src/bots/slack/notifier/channel-pacer.js';

/** A pacer on a clock that moves only when it sleeps (each sleep recorded) or a send takes time. */
function pacedOnManualTime() {
  let now = 1_000_000;
  const sleeps: number[] = [];
  const pacer = new ChannelPacer({
    intervalMs: 1_000,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  });
  return { pacer, sleeps, at: () => now, advance: (ms: number) => (now += ms) };
}

describe('ChannelPacer: about one message per second per channel', () => {
  it('GIVEN three sends to one channel at once THEN they run one after another, a second apart', async () => {
    const { pacer, sleeps, at } = pacedOnManualTime();
    const sentAt: number[] = [];
    await Promise.all([1, 2, 3].map(() => pacer.send('D1', async () => sentAt.push(at()))));
    expect(sentAt).toEqual([1_000_000, 1_001_000, 1_002_000]);
    expect(sleeps).toEqual([1_000, 1_000]);
  });

  it('GIVEN a send whose request takes 300 ms THEN the next starts a full second after it ended', async () => {
    const { pacer, sleeps, at, advance } = pacedOnManualTime();
    const sentAt: number[] = [];
    const slowSend = async () => {
      sentAt.push(at());
      advance(300);
    };
    await Promise.all([pacer.send('D1', slowSend), pacer.send('D1', slowSend)]);
    expect(sentAt).toEqual([1_000_000, 1_001_300]);
    expect(sleeps).toEqual([1_000]);
  });

  it('GIVEN sends to different channels THEN none waits for another', async () => {
    const { pacer, sleeps } = pacedOnManualTime();
    await Promise.all(['D1', 'D2', 'D3'].map((channel) => pacer.send(channel, async () => channel)));
    expect(sleeps).toEqual([]);
  });

  it('GIVEN a send that fails THEN the error reaches its caller and the next send still goes', async () => {
    const { pacer } = pacedOnManualTime();
    const failed = pacer.send('D1', async () => {
      throw new Error('slack said no');
    });
    const next = pacer.send('D1', async () => 'sent');
    await expect(failed).rejects.toThrow('slack said no');
    await expect(next).resolves.toBe('sent');
  });
});
