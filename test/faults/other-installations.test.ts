import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { containerLabels } from '../../src/core/domain/container-labels.js';
import { MINUTE_MS } from '../../src/core/domain/lease.js';
import { AppProcess, testAppEnv } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { makeLifecycleFixture } from '../support/lifecycle-fixture.js';
import {
  describeWith,
  flushPrefix,
  removeInstanceContainers,
  TEST_IMAGE,
  testDocker,
  testRedis,
  uniqueInstance,
  uniquePrefix,
} from '../support/services.js';

/**
 * Other installations' containers on the same engine. In the fault suite because it runs one file
 * at a time: any product process on the engine removes a container of ours past its hard cap,
 * whatever its instance, so which process removed it can only be asserted with the engine to itself.
 */
describeWith({ redis: true, docker: true })('the product started from another folder', () => {
  // One state directory, one instance id; and a container an earlier run left with another instance
  // id (as every start from another folder made before DATA_DIR's default stopped depending on it)
  // is removed once its hard cap has passed.
  const docker = testDocker();
  const prefix = uniquePrefix();
  const earlier = uniqueInstance();
  const stranger = uniqueInstance();
  const state = mkdtempSync(join(tmpdir(), 'cl-state-'));
  const instances: string[] = [earlier, stranger];
  const started: AppProcess[] = [];

  afterAll(async () => {
    for (const app of started) if (app.child.exitCode === null) app.child.kill('SIGKILL');
    for (const instance of instances) await removeInstanceContainers(docker, instance);
    const redis = testRedis();
    await flushPrefix(redis, prefix);
    redis.disconnect();
  });

  async function leftBehind(leaseId: string, instanceId: string, hardCapAt: number): Promise<string> {
    const container = await docker.createContainer({
      name: `left-${leaseId}-${instanceId}`,
      Image: TEST_IMAGE,
      Cmd: ['sleep', 'infinity'],
      Labels: containerLabels(
        {
          leaseId,
          owner: 'local:alice',
          imageType: 'busybox',
          notify: { platform: 'local', user: 'alice' },
          createdAt: hardCapAt - 24 * 60 * MINUTE_MS,
          expiresAt: hardCapAt - 23 * 60 * MINUTE_MS,
          hardCapAt,
        },
        instanceId,
      ),
      HostConfig: { Memory: 32 * 1024 ** 2, Init: true },
    });
    await container.start();
    return container.id;
  }

  /** The product as an operator starts it: no DATA_DIR, no INSTANCE_ID, from `folder`. */
  async function startFrom(folder: string): Promise<{ app: AppProcess; dataDir: string; instance: string }> {
    const { DATA_DIR: _dir, INSTANCE_ID: _id, ...env } = testAppEnv(prefix, 'unused');
    const app = new AppProcess(
      [],
      { ...env, XDG_STATE_HOME: state, CLEANUP_INTERVAL: '1s' },
      { cwd: folder },
    );
    started.push(app);
    const [, dataDir = '', instance = ''] = await app.waitFor(
      /^Data folder: (\S+) \(instance ([a-z0-9-]+);/m,
      60_000,
    );
    instances.push(instance);
    return { app, dataDir, instance };
  }

  async function stop(app: AppProcess): Promise<void> {
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
  }

  it("GIVEN an earlier run's container past its hard cap THEN it is removed and its owner told; another installation's before its hard cap stays", async () => {
    const capped = await leftBehind('leftbehind', earlier, Date.now() - MINUTE_MS);
    const live = await leftBehind('stranger00', stranger, Date.now() + 60 * MINUTE_MS);

    const first = await startFrom(mkdtempSync(join(tmpdir(), 'cl-folder-a-')));
    expect(first.dataDir).toBe(join(state, 'containerlease'));
    await eventually(
      async () => (await docker.listContainers({ all: true, filters: { id: [capped] } })).length === 0,
      60_000,
      'the container past its hard cap to be removed',
    );
    await stop(first.app);
    expect((await docker.getContainer(live).inspect()).State.Running).toBe(true);

    const lines = first.app.stdout.split('\n');
    expect(
      lines.filter(
        (line) => line.includes('"noticeId":"expired:leftbehind"') && line.includes('notice delivered'),
      ),
    ).toHaveLength(1);
    expect(
      lines.some((line) => line.includes('past its hard cap') && line.includes(`"containerId":"${capped}"`)),
    ).toBe(true);

    const second = await startFrom(mkdtempSync(join(tmpdir(), 'cl-folder-b-')));
    expect([second.dataDir, second.instance]).toEqual([first.dataDir, first.instance]);
    await stop(second.app);
  }, 180_000);
});

describeWith({ redis: true, docker: true })("LifecycleService and other installations' containers", () => {
  const docker = testDocker();
  let f: ReturnType<typeof makeLifecycleFixture>;

  beforeEach(() => {
    f = makeLifecycleFixture(docker);
  });
  afterEach(() => f.close());

  it("GIVEN another instance's containers THEN the one past its hard cap is removed and its owner told; the others are never touched", async () => {
    const earlier = uniqueInstance(); // this product, started before from another folder
    try {
      const capped = await f.orphan('capped0000', Date.now() - 30 * MINUTE_MS, {
        instanceId: earlier,
        hardCapAt: Date.now() - MINUTE_MS,
      });
      const expiredOnly = await f.orphan('expired000', Date.now() - 30 * MINUTE_MS, {
        instanceId: earlier,
        hardCapAt: Date.now() + 30 * MINUTE_MS,
      });
      const summary = await f.lifecycle().runCleanup(Date.now() + 5_000);
      expect(summary.reconciled.pastHardCapRemoved).toBeGreaterThanOrEqual(1);
      expect(await f.runtime.inspect(capped)).toBeNull();
      expect((await f.runtime.inspect(expiredOnly))?.state).toBe('running');
      expect(await f.store.get('expired000')).toBeNull();
      expect((await f.notices()).map((n) => [n.kind, n.leaseId])).toEqual([['expired', 'capped0000']]);
      await f.lifecycle().runCleanup(Date.now() + 5_000);
      expect(await f.notices()).toHaveLength(1);
    } finally {
      await removeInstanceContainers(docker, earlier);
    }
  });
});
