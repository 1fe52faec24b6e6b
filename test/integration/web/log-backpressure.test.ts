import { afterEach, expect, it } from 'vitest';
import { eventually } from '../../support/eventually.js';
import { describeWith } from '../../support/services.js';
import { call, type LogClient, openLogs } from '../../support/web-client.js';
import { API_TOKEN, startWebFixture, type WebFixture } from '../../support/web-fixture.js';
import { stalledViewer } from '../../support/web-raw-socket.js';

const HIGH_WATER = 256 * 1024;
/** One batch is at most 500 lines of ~90 bytes, as JSON; the backlog frame at most 1000. */
const LARGEST_FRAME = 1000 * 200;

describeWith({ redis: true, docker: true })('Slow and dead log viewers', () => {
  let f: WebFixture | undefined;
  const clients: LogClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await f?.close();
    f = undefined;
  });

  const provision = async (fixture: WebFixture, imageType: string) => {
    const reply = await call(fixture.web.url, 'POST', '/api/provision', {
      token: API_TOKEN,
      body: { imageType, durationMinutes: 5 },
    });
    const lease = reply.body as { id: string; logsUrl: string };
    return {
      id: lease.id,
      path: `/logs/${lease.id}?token=${new URL(lease.logsUrl).searchParams.get('token')}`,
    };
  };

  it('GIVEN a viewer that never reads a chatty container THEN its queue stays under the high-water mark plus one frame, it skips lines, and it is dropped', async () => {
    const fixture = await startWebFixture({
      logStreams: { backpressure: { highWaterBytes: HIGH_WATER, maxBehindMs: 4_000 } },
    });
    f = fixture;
    const lease = await provision(fixture, 'chatty');
    const healthy = await openLogs(fixture.web.url, lease.path);
    if (!healthy.ok) throw new Error('healthy viewer refused');
    clients.push(healthy.client);
    const stalled = await stalledViewer(fixture.web.url, lease.path);
    const stalledClosed = new Promise<void>((resolve) => stalled.once('close', () => resolve()));

    const stalledStats = () => fixture.web.logStreams.viewerStats().find((viewer) => viewer.skippedTotal > 0);
    let largest = 0;
    const sampler = setInterval(() => {
      for (const viewer of fixture.web.logStreams.viewerStats())
        largest = Math.max(largest, viewer.bufferedAmount);
    }, 5);
    try {
      const behind = await eventually(stalledStats, 60_000, 'the stalled viewer to fall behind and skip');
      expect(behind.bufferedAmount).toBeLessThanOrEqual(HIGH_WATER + LARGEST_FRAME);
      await eventually(
        () => fixture.web.logStreams.viewerCount === 1,
        60_000,
        'the stalled viewer to be dropped',
      );
    } finally {
      clearInterval(sampler);
    }
    expect(largest).toBeGreaterThan(HIGH_WATER / 2);
    expect(largest).toBeLessThanOrEqual(HIGH_WATER + LARGEST_FRAME);
    stalled.destroy();
    await stalledClosed;

    // Only this viewer was dropped; ordering is checked with the slow container elsewhere, because a
    // chatty one outruns any reader and Docker's 10 MB log rotation then skips or repeats stretches.
    const before = healthy.client.lines.length;
    await eventually(
      () => healthy.client.lines.length > before + 1000,
      60_000,
      'the healthy viewer to keep receiving',
    );
    expect(healthy.client.socket.readyState).toBe(healthy.client.socket.OPEN);
  });

  it('GIVEN a viewer that answers no ping THEN the heartbeat terminates it, while a live viewer stays', async () => {
    const fixture = await startWebFixture({ logStreams: { heartbeatMs: 200 } });
    f = fixture;
    const lease = await provision(fixture, 'busybox');
    const live = await openLogs(fixture.web.url, lease.path);
    if (!live.ok) throw new Error('live viewer refused');
    clients.push(live.client);
    const dead = await stalledViewer(fixture.web.url, lease.path);
    const deadClosed = new Promise<void>((resolve) => dead.once('close', () => resolve()));
    dead.resume();
    await eventually(() => fixture.web.logStreams.viewerCount === 2, 60_000, 'two viewers');
    await deadClosed;
    await eventually(() => fixture.web.logStreams.viewerCount === 1, 60_000, 'the dead viewer to be gone');
    const before = live.client.lines.length;
    await eventually(() => live.client.lines.length > before, 60_000, 'the live viewer to get another line');
    expect(live.client.socket.readyState).toBe(live.client.socket.OPEN);
  });
});
