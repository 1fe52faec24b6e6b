import { beforeEach, describe, expect, it } from 'vitest';
import type { LogLine } from '../../../../src/core/ports/container-runtime.js';
import { FINAL_LOG_CHARS, FINAL_LOG_LINES } from '../../../../src/core/ports/final-logs.js';
import { captureFinalLogs } from '../../../../src/core/services/final-logs-capture.js';
import { FakeRuntime } from '../../../doubles/fake-runtime.js';
import { InMemoryFinalLogs } from '../../../doubles/in-memory-final-logs.js';
import { RecordingLogger } from '../../../doubles/recording-logger.js';

const IMAGE = 'local/busybox:latest';
const line = (text: string): LogLine => ({ stream: 'stdout', ts: '2026-11-29T12:00:01Z', text });
const numbered = (count: number) => Array.from({ length: count }, (_, index) => line(`line ${index + 1}`));

describe('captureFinalLogs: the last lines of a stopped container, within their limits', () => {
  let runtime: FakeRuntime;
  let finalLogs: InMemoryFinalLogs;
  let logger: RecordingLogger;
  let containerId: string;
  const lease = () => ({
    id: '7k2m9x4qpz',
    owner: 'local:alice',
    imageType: 'busybox',
    hardCapAt: 0,
    containerId,
  });
  const capture = () => captureFinalLogs({ runtime, finalLogs, logger }, lease());
  const printed = (lines: readonly LogLine[]) => runtime.containers.get(containerId)?.lines.push(...lines);
  const kept = async () => (await finalLogs.load('7k2m9x4qpz'))?.map((kept) => kept.text);

  beforeEach(async () => {
    runtime = new FakeRuntime({ images: [IMAGE] });
    finalLogs = new InMemoryFinalLogs();
    logger = new RecordingLogger();
    containerId = await runtime.create({
      name: 'lease-7k2m9x4qpz',
      image: IMAGE,
      labels: {},
      limits: { memoryBytes: 1, nanoCpus: 1, pidsLimit: 1 },
      capAdd: [],
    });
  });

  it('GIVEN 2500 lines THEN the engine is asked for the last 1000 without following, and those are kept in order', async () => {
    printed(numbered(2500));
    await capture();
    expect(runtime.logReads).toEqual([
      { id: containerId, options: { follow: false, tail: FINAL_LOG_LINES } },
    ]);
    expect(await kept()).toEqual(
      numbered(2500)
        .slice(1500)
        .map((each) => each.text),
    );
  });

  it.each([
    [1000, 1],
    [1001, 2],
    [2999, 2000],
  ])(
    'GIVEN one message of %i cut lines THEN the last 1000 lines are kept, from line %i',
    async (count, from) => {
      printed(numbered(count).map((each) => ({ ...each, cut: true as const })));
      await capture();
      const texts = await kept();
      expect([texts?.length, texts?.[0], texts?.at(-1)]).toEqual([1000, `line ${from}`, `line ${count}`]);
    },
  );

  it('GIVEN lines holding exactly 512 KiB of text THEN all are kept; a character more THEN the oldest goes', async () => {
    const full = Array.from({ length: 128 }, (_, index) => line(String(index % 10).repeat(4096)));
    expect(full.reduce((chars, each) => chars + each.text.length, 0)).toBe(FINAL_LOG_CHARS);
    printed(full);
    await capture();
    expect(await kept()).toHaveLength(128);
    printed([line('x')]);
    await capture();
    const texts = await kept();
    expect([texts?.length, texts?.[0], texts?.at(-1)]).toEqual([128, full[1]?.text, 'x']);
  });

  it('GIVEN a last line longer than 512 KiB alone THEN that line is kept, and nothing before it', async () => {
    printed([line('before'), line('y'.repeat(FINAL_LOG_CHARS + 1))]);
    await capture();
    expect((await kept())?.map((text) => text.length)).toEqual([FINAL_LOG_CHARS + 1]);
  });

  it('GIVEN a container that printed nothing THEN nothing is kept', async () => {
    await capture();
    expect(await finalLogs.load('7k2m9x4qpz')).toBeNull();
  });

  it('GIVEN a lease that never had a container THEN the engine is not asked and nothing is reported', async () => {
    containerId = '';
    await capture();
    expect([runtime.logReads, logger.lines]).toEqual([[], []]);
  });

  it('GIVEN the engine cannot read the log THEN the capture gives up without failing the removal, and says why at debug', async () => {
    runtime.vanish(containerId);
    await expect(capture()).resolves.toBeUndefined();
    expect(await finalLogs.load('7k2m9x4qpz')).toBeNull();
    expect(logger.lines).toEqual([
      {
        level: 'debug',
        fields: { leaseId: '7k2m9x4qpz', error: `No such container: ${containerId}` },
        message: 'final logs not captured',
      },
    ]);
  });
});
