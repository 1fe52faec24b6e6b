import { afterEach, beforeEach, expect, it } from 'vitest';
import { MINUTE_MS } from '../../src/core/domain/lease.js';
import { AppProcess, CLEANUP_JS, testAppEnv } from '../support/app-process.js';
import { makeLifecycleFixture } from '../support/lifecycle-fixture.js';
import { describeWith, testDocker } from '../support/services.js';

describeWith({ redis: true, docker: true })('npm run cleanup: one pass, then exit', () => {
  const docker = testDocker();
  let f: ReturnType<typeof makeLifecycleFixture>;
  beforeEach(() => {
    f = makeLifecycleFixture(docker);
  });
  afterEach(() => f.close());

  const cleanup = (extra: Record<string, string> = {}) =>
    new AppProcess([], { ...testAppEnv(f.prefix, f.instanceId), ...extra }, { entry: CLEANUP_JS });

  it('GIVEN a due lease and a running one THEN it removes the due one, says so in one line and exits 0', async () => {
    const due = await f.provision(-MINUTE_MS);
    const running = await f.provision(60 * MINUTE_MS);
    const run = cleanup();
    expect(await run.exited).toBe(0);
    expect(run.stdout).toMatch(
      /^cleanup: 1 removed, 0 failed, 0 released \(extended\), 0 skipped, 0 warned, 0 stopped over the disk limit; /,
    );
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(await f.store.get(due.id)).toBeNull();
    expect((await f.containers()).map((c) => c.Id)).toEqual([running.containerId]);
    expect((await f.notices()).map((n) => [n.kind, n.leaseId])).toEqual([['expired', due.id]]);
  });

  it('GIVEN the Docker engine unreachable THEN the lease stays and it exits 1, its line counting the failure', async () => {
    const due = await f.provision(-MINUTE_MS);
    const run = cleanup({ DOCKER_HOST: 'tcp://127.0.0.1:1' });
    expect(await run.exited).toBe(1);
    expect(run.stdout).toMatch(/^cleanup: 0 removed, 1 failed, /);
    expect(run.stderr).toContain('Docker engine unreachable at http://127.0.0.1:1');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(await f.store.get(due.id)).not.toBeNull();
  });

  it('GIVEN Redis unreachable THEN it exits 1 naming where Redis was looked for', async () => {
    const run = cleanup({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(await run.exited).toBe(1);
    expect(run.stderr).toContain('containerlease cleanup: Redis is unreachable at redis://127.0.0.1:1');
  });

  it('GIVEN a bad variable THEN it exits 2 naming it', async () => {
    const run = cleanup({ CLEANUP_VISIBILITY_TIMEOUT: 'soon' });
    expect(await run.exited).toBe(2);
    expect(run.stderr.trim()).toBe(
      'containerlease cleanup: CLEANUP_VISIBILITY_TIMEOUT must be a duration from 1s to 1h, e.g. 2m (got "soon")',
    );
  });
});
