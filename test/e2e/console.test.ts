import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { AppProcess, writeTestCatalog } from '../support/app-process.js';
import {
  describeWith,
  flushPrefix,
  REDIS_URL,
  removeInstanceContainers,
  testDocker,
  testRedis,
  uniqueInstance,
  uniquePrefix,
} from '../support/services.js';

describeWith({ redis: true, docker: true })('npm run console, fed through a pipe', () => {
  const docker = testDocker();
  const redis = testRedis();
  const prefix = uniquePrefix();
  const instanceId = uniqueInstance();

  afterAll(async () => {
    await removeInstanceContainers(docker, instanceId);
    await flushPrefix(redis, prefix);
    redis.disconnect();
  });

  it('GIVEN a one-minute lease THEN provision, list, a warning and the expiry notice arrive, and the container is gone', async () => {
    const app = new AppProcess(['--console'], {
      ...process.env,
      NODE_ENV: 'test',
      PORT: '0',
      REDIS_URL,
      REDIS_PREFIX: prefix,
      INSTANCE_ID: instanceId,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'cl-console-')),
      IMAGES_FILE: writeTestCatalog(),
      CLEANUP_INTERVAL: '2s',
      LEASE_WARN_MINUTES: '10',
      LOG_LEVEL: 'warn',
    });
    try {
      app.send('/lease provision busybox 1');
      const [, id] = await app.waitFor(/Your busybox container is running: lease ([0-9a-z]{10})/);
      app.send('/lease list');
      await app.waitFor(/You have 1 lease/);
      await app.waitFor(new RegExp(`\\[notice\\] Your busybox lease ${id} ends in`));
      await app.waitFor(
        new RegExp(`\\[notice\\] Your busybox lease ${id} expired and its container was removed`),
      );
      const left = await docker.listContainers({
        all: true,
        filters: { label: [`io.containerlease.lease=${id}`] },
      });
      expect(left).toEqual([]);
      expect(app.stdout.match(/\[notice\]/g)).toHaveLength(2);
      app.send('/lease list');
      await app.waitFor(/You have no leases/);
    } finally {
      app.child.stdin.end();
    }
    expect(await app.exited).toBe(0);
  }, 180_000);
});
