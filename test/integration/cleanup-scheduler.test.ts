import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MINUTE_MS } from '../../src/core/domain/lease.js';
import { silentLogger } from '../../src/core/ports/logger.js';
import { noMetrics } from '../../src/core/ports/metrics.js';
import type { WorkerMessage } from '../../src/jobs/worker-messages.js';
import { eventually } from '../support/eventually.js';
import { makeLifecycleFixture } from '../support/lifecycle-fixture.js';
import { describeWith, REDIS_URL, testDocker } from '../support/services.js';

type SchedulerModule = typeof import('../../src/jobs/cleanup-scheduler.js');
type Run = Extract<WorkerMessage, { type: 'run' }>;

const built = fileURLToPath(new URL('../../dist/jobs/cleanup-scheduler.js', import.meta.url));

/** The scheduler as `npm start` runs it: compiled, with the compiled worker beside it. */
async function loadBuiltScheduler(): Promise<SchedulerModule> {
  if (!existsSync(built)) throw new Error('run `npm run build` first: this test runs the built output');
  return (await import(built)) as SchedulerModule;
}

describeWith({ redis: true, docker: true })('the Bree cleanup job from the built output', () => {
  const docker = testDocker();
  let f: ReturnType<typeof makeLifecycleFixture>;
  beforeEach(() => {
    f = makeLifecycleFixture(docker);
  });
  afterEach(() => f.close());

  const env = () => ({
    ...process.env,
    REDIS_PREFIX: f.prefix,
    CLEANUP_VISIBILITY_TIMEOUT: '1m',
    CONTAINER_STOP_TIMEOUT: '1',
    LOG_LEVEL: 'silent',
  });

  /**
   * `instances` built schedulers, each running every `intervalMs`, until the runs of all (in the
   * order they were reported) are `enough`; then they stop.
   */
  const runSchedulers = async (
    intervalMs: number,
    enough: (runs: readonly Run[]) => boolean | Promise<boolean>,
    what: string,
    instances = 1,
  ): Promise<Run[]> => {
    const { startCleanupScheduler } = await loadBuiltScheduler();
    const runs: Run[] = [];
    const start = () =>
      startCleanupScheduler({
        intervalMs,
        redisUrl: REDIS_URL,
        instanceId: f.instanceId,
        lockTtlMs: 30_000,
        logger: silentLogger,
        metrics: noMetrics,
        env: env(),
        onRun: (run) => runs.push(run),
      });
    const schedulers = await Promise.all(Array.from({ length: instances }, start));
    try {
      await eventually(() => enough(runs), 60_000, what);
    } finally {
      await Promise.all(schedulers.map((scheduler) => scheduler.stop()));
    }
    return runs;
  };

  it('GIVEN a due lease THEN the job removes it in a worker thread, and runs again every interval', async () => {
    const lease = await f.provision(-MINUTE_MS);
    const runs = await runSchedulers(1_000, (runs) => runs.length >= 2, 'two runs');
    expect(runs[0]).toMatchObject({ ran: true, summary: { removed: 1 } });
    expect(runs[0]?.threadId).not.toBe(threadId);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(await f.store.get(lease.id)).toBeNull();
    expect(await f.containers()).toEqual([]);
  });

  it('GIVEN an interval of an hour THEN the first run comes at start, not an hour later', async () => {
    const lease = await f.provision(-MINUTE_MS);
    const runs = await runSchedulers(3_600_000, (runs) => runs.length >= 1, 'the first run');
    expect(runs[0]).toMatchObject({ ran: true, summary: { removed: 1 } });
    expect(await f.store.get(lease.id)).toBeNull();
  });

  it('GIVEN two instances against one Redis THEN their runs never overlap and each lease is removed once', async () => {
    const ids = await Promise.all(Array.from({ length: 8 }, async () => (await f.provision(-MINUTE_MS)).id));
    const runs = await runSchedulers(
      500,
      async (runs) => (await f.store.count()) === 0 && runs.length >= 6,
      'every lease removed and six runs',
      2,
    );
    const ran = runs.filter((run) => run.ran).sort((a, b) => a.startedAt - b.startedAt);
    for (let i = 1; i < ran.length; i += 1) {
      expect(ran[i]?.startedAt).toBeGreaterThanOrEqual(ran[i - 1]?.endedAt ?? 0);
    }
    expect(ran.reduce((sum, run) => sum + (run.summary?.removed ?? 0), 0)).toBe(ids.length);
    expect(runs.some((run) => !run.ran)).toBe(true);
    expect((await f.notices()).map((n) => n.leaseId).sort()).toEqual([...ids].sort());
  });
});
