import { afterEach, expect, it } from 'vitest';
import { MAX_LOG_LINE_CHARS } from '../../../src/core/ports/container-runtime.js';
import { FINAL_LOG_CHARS } from '../../../src/core/ports/final-logs.js';
import { eventually } from '../../support/eventually.js';
import { describeWith, testDocker } from '../../support/services.js';
import { call, type LogClient, openLogs } from '../../support/web-client.js';
import { API_TOKEN, FLOOD_BYTES, startWebFixture, type WebFixture } from '../../support/web-fixture.js';

/**
 * A container that writes megabytes without a newline (`yes | tr -d '\n'`): its viewers get the
 * output in cut lines, the server answers other requests all the while, and stopping the lease
 * keeps cut final logs.
 */
describeWith({ redis: true, docker: true })('Output without newlines', () => {
  let f: WebFixture | undefined;
  let client: LogClient | undefined;
  afterEach(async () => {
    client?.close();
    await f?.close();
  });

  /** Asks /healthz again and again until `until` settles; each answer notes how far the viewer was. */
  const pollHealth = async (until: Promise<unknown>, progress: () => number) => {
    const answeredAt: number[] = [];
    let done = false;
    void until.finally(() => {
      done = true;
    });
    while (!done) {
      const reply = await call(f?.web.url ?? '', 'GET', '/healthz');
      expect(reply.status).toBe(200);
      answeredAt.push(progress());
    }
    return answeredAt;
  };

  it('GIVEN 8 MiB without a newline WHEN watched and then stopped THEN cut lines of at most 4096 characters, answers all the while, and cut final logs', async () => {
    // A queue large enough that this viewer, which shares the test's event loop, never skips lines.
    f = await startWebFixture({
      logStreams: { backpressure: { highWaterBytes: 64 * 1024 ** 2, maxBehindMs: 60_000 } },
    });
    const web = f.web.url;
    const lease = (
      await call(web, 'POST', '/api/provision', { token: API_TOKEN, body: { imageType: 'flood' } })
    ).body as { id: string; containerId: string };
    const opened = await openLogs(web, `/logs/${lease.id}`, { token: API_TOKEN });
    if (!opened.ok) throw new Error(`upgrade refused: ${opened.status}`);
    const viewer = opened.client;
    client = viewer;
    await eventually(() => viewer.texts().includes('ready'), 60_000, 'the container to be ready');

    await testDocker().getContainer(lease.containerId).kill({ signal: 'SIGUSR1' });
    const cutLines = () => viewer.lines.filter((line) => line.cut).length;
    await eventually(() => cutLines() > 0, 60_000, 'the first cut line');
    const flooded = eventually(() => viewer.texts().includes('flood done'), 120_000, 'the end of the flood');
    const answeredAt = await pollHealth(flooded, cutLines);

    const flood = viewer.lines.filter((line) => /^x+$/.test(line.text));
    expect(viewer.gaps).toEqual([]);
    expect(flood.map((line) => line.text.length).reduce((sum, n) => sum + n, 0)).toBe(FLOOD_BYTES);
    expect(flood.every((line) => line.text.length <= MAX_LOG_LINE_CHARS)).toBe(true);
    expect(flood.filter((line) => line.cut).length).toBe(FLOOD_BYTES / MAX_LOG_LINE_CHARS - 1);
    const whileFlooding = answeredAt.filter((at) => at < FLOOD_BYTES / MAX_LOG_LINE_CHARS - 1);
    expect(whileFlooding.length, 'health answers while the flood was being delivered').toBeGreaterThanOrEqual(
      3,
    );

    const stopped = call(web, 'DELETE', `/api/containers/${lease.id}`, { token: API_TOKEN });
    const answeredWhileStopping = await pollHealth(stopped, () => 0);
    expect((await stopped).status).toBe(204);
    expect(answeredWhileStopping.length).toBeGreaterThanOrEqual(1);
    const final = (await f.finalLogs.load(lease.id)) ?? [];
    expect(final.length).toBeGreaterThan(0);
    expect(final.length).toBeLessThanOrEqual(1000);
    expect(final.map((line) => line.text.length).reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(
      FINAL_LOG_CHARS,
    );
    expect(final.every((line) => line.text.length <= MAX_LOG_LINE_CHARS)).toBe(true);
    expect(final.some((line) => line.cut)).toBe(true);
    expect(final.at(-1)?.text).toBe('flood done');
  });
});
