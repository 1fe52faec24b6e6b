import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_DOCKER_SOCKET } from '../../src/core/adapters/docker/docker-connection.js';
import { writeTestCatalog } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
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

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Built by scripts/make-node-image.sh from Debian's mirror and this machine's Node: no registry needed. */
const NODE_IMAGE = 'local/node:20-bookworm-slim';
const IMAGE = 'containerlease:ci';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

// The product's own image, built as an operator builds it, run as a container that reaches the
// host's engine through the mounted socket and the test Redis on the host's network.
describeWith({ redis: true, docker: true })('the container image', () => {
  const prefix = uniquePrefix();
  const instanceId = uniqueInstance();
  const token = randomBytes(16).toString('hex');
  const name = `cl-image-${instanceId}`;
  const docker = testDocker();
  let base = '';
  const logs = async () => {
    const { stdout, stderr } = await run('docker', ['logs', '--tail=40', name]);
    return stdout + stderr;
  };

  beforeAll(async () => {
    await run(`${ROOT}/scripts/make-node-image.sh`, [NODE_IMAGE]);
    await run('docker', ['build', '-q', '--build-arg', `NODE_IMAGE=${NODE_IMAGE}`, '-t', IMAGE, ROOT], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const port = await freePort();
    const catalog = writeTestCatalog();
    // Its folder is the test user's own (0700); the product reads it as another user.
    chmodSync(dirname(catalog), 0o755);
    await run('docker', [
      'run',
      '--detach',
      `--name=${name}`,
      '--network=host',
      // As compose.yaml runs it: nothing written outside /data and /tmp, no capability, no privilege gained.
      '--read-only',
      '--tmpfs=/tmp',
      '--cap-drop=ALL',
      '--security-opt=no-new-privileges',
      `--volume=${DEFAULT_DOCKER_SOCKET}:/var/run/docker.sock`,
      `--group-add=${statSync(DEFAULT_DOCKER_SOCKET).gid}`,
      `--volume=${dirname(catalog)}:/etc/containerlease:ro`,
      '--env=IMAGES_FILE=/etc/containerlease/images.json',
      `--env=REDIS_URL=${REDIS_URL}`,
      `--env=REDIS_PREFIX=${prefix}`,
      `--env=INSTANCE_ID=${instanceId}`,
      `--env=PORT=${port}`,
      `--env=PUBLIC_URL=http://127.0.0.1:${port}`,
      `--env=LINK_SECRET=${randomBytes(32).toString('hex')}`,
      `--env=API_TOKENS=ci=${token}`,
      IMAGE,
    ]);
    base = `http://127.0.0.1:${port}`;
  }, 900_000);

  afterAll(async () => {
    await run('docker', ['rm', '--force', name]).catch(() => {});
    await removeInstanceContainers(docker, instanceId);
    const redis = testRedis();
    await flushPrefix(redis, prefix);
    redis.disconnect();
  });

  it('GIVEN the built image THEN it runs as an unprivileged user in production mode', async () => {
    const { stdout } = await run('docker', [
      'inspect',
      '--format={{.Config.User}} {{range .Config.Env}}{{.}} {{end}}',
      name,
    ]);
    expect(stdout).toMatch(/^containerlease /);
    expect(stdout).toContain('NODE_ENV=production');
    const { stdout: id } = await run('docker', ['exec', name, 'id', '-u']);
    expect(id.trim()).toBe('10001');
  });

  it('GIVEN Redis and the engine through the socket THEN /readyz is ready and a provision through the API runs a lease', async () => {
    const ready = await eventually(
      async () => {
        const { stdout: state } = await run('docker', ['inspect', '--format={{.State.Status}}', name]);
        if (state.trim() !== 'running') throw new Error(`the container is ${state.trim()}:\n${await logs()}`);
        const response = await fetch(`${base}/readyz`).catch(() => undefined);
        return response?.status === 200 ? ((await response.json()) as { checks: unknown }) : undefined;
      },
      60_000,
      'the container to be ready',
    );
    expect(ready.checks).toEqual({ redis: { ok: true }, docker: { ok: true } });

    const auth = { authorization: `Bearer ${token}` };
    const provisioned = await fetch(`${base}/api/provision`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ imageType: 'busybox', durationMinutes: 5 }),
    });
    const lease = (await provisioned.json()) as { id: string; status: string; containerId: string };
    expect(provisioned.status, `${JSON.stringify(lease)}\n${await logs()}`).toBe(201);
    expect(lease.status).toBe('active');
    const container = await docker.getContainer(lease.containerId).inspect();
    expect(container.State.Running).toBe(true);
    expect(container.Config.Labels['io.containerlease.instance']).toBe(instanceId);

    const stopped = await fetch(`${base}/api/containers/${lease.id}`, { method: 'DELETE', headers: auth });
    expect(stopped.status).toBe(204);
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`io.containerlease.instance=${instanceId}`] },
    });
    expect(left).toEqual([]);
  });
});
