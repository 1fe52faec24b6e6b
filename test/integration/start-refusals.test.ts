import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAIN_JS } from '../support/app-process.js';
import { describeWith, REDIS_URL, testDocker, uniqueInstance, uniquePrefix } from '../support/services.js';

/** The built product, started as `npm start` starts it, with only these variables set. */
function start(variables: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run npm run build first`);
  const env = { PATH: process.env.PATH ?? '', HOME: mkdtempSync(join(tmpdir(), 'cl-home-')), ...variables };
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN_JS], { env, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('the built product refuses nonsense at start: exit 2, one line naming both variables', () => {
  it.each([
    [
      { CLEANUP_INTERVAL: '5m', LEASE_WARN_MINUTES: '3' },
      "containerlease: CLEANUP_INTERVAL (5m) must be shorter than LEASE_WARN_MINUTES (3 min), or a lease's warning can fall between two runs and be skipped\n",
    ],
    [
      { CLEANUP_INTERVAL: '1d' },
      'containerlease: CLEANUP_INTERVAL must be a duration from 1s to 10m, e.g. 1m or 30s (got "1d")\n',
    ],
    [
      { LEASE_PROVISION_TIMEOUT: '10s' },
      'containerlease: LEASE_PROVISION_TIMEOUT must be a duration from 2m to 1h, e.g. 10m (got "10s")\n',
    ],
    [
      { PUBLIC_URL: 'https://example.com/lease' },
      'containerlease: PUBLIC_URL must be the http(s) origin where users reach this server, without a path, e.g. https://lease.example.com (the pages do not work under a path prefix) (got "https://example.com/lease")\n',
    ],
    [
      { LEASE_MAX_PER_USER: '60' },
      'containerlease: LEASE_MAX_PER_USER (60) must be at most LEASE_MAX_ACTIVE (50)\n',
    ],
    [
      { REDIS_SENTINELS: 's1:26379' },
      'containerlease: REDIS_SENTINELS and REDIS_SENTINEL_NAME must be set together: the Sentinels, and the name they know the primary by\n',
    ],
    [
      { REDIS_CLUSTER_NODES: 'r1:6379', REDIS_URL: 'redis://127.0.0.1:6379' },
      'containerlease: REDIS_URL cannot be set with REDIS_CLUSTER_NODES: they say where Redis is instead\n',
    ],
    [
      { DOCKER_TLS_VERIFY: '1' },
      'containerlease: DOCKER_TLS_VERIFY needs DOCKER_HOST=tcp://host:port (TLS is for an engine reached over the network)\n',
    ],
  ])('GIVEN %o THEN it says so on stderr and exits 2', async (variables, line) => {
    const result = await start(variables);
    expect(result).toEqual({ code: 2, stdout: '', stderr: line });
  });
});

describe('the built product refuses a bad variable at start: exit 2, one line naming it, nothing else', () => {
  it.each([
    [{ PORT: 'abc' }, 'PORT must be a TCP port number from 0 to 65535 (got "abc")'],
    [
      { CLEANUP_INTERVAL: 'soon' },
      'CLEANUP_INTERVAL must be a duration from 1s to 10m, e.g. 1m or 30s (got "soon")',
    ],
    [
      { CONTAINER_MEMORY: 'lots' },
      'CONTAINER_MEMORY must be a size of at least 6m, e.g. 512m or 1g (got "lots")',
    ],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET must be set when SLACK_BOT_TOKEN is set'],
    [{ LINK_SECRET: 'hunter2' }, 'LINK_SECRET must be at least 32 characters'],
    [
      { POOL: 'ubuntu=2,python' },
      'POOL must be image=count pairs separated by commas, counts from 1 to 20, e.g. ubuntu=2,python=1 (got "ubuntu=2,python")',
    ],
    // Checked against the catalog before anything starts, like IMAGES_FILE below.
    [
      { POOL: 'ubuntu=1,windows=2', REDIS_URL: 'redis://127.0.0.1:1' },
      'POOL names windows, not in the image catalog (ubuntu, debian, alpine, python, node)',
    ],
    // Read before anything starts: the unreachable Redis is never tried, so it cannot hide the file.
    [
      { REDIS_CLUSTER_NODES: 'r1:6379,r2' },
      'REDIS_CLUSTER_NODES must be some nodes of the Redis Cluster, as host:port separated by commas',
    ],
    [{ DOCKER_TLS_VERIFY: 'yes' }, 'DOCKER_TLS_VERIFY must be 1 to speak TLS to DOCKER_HOST'],
    [
      {
        DOCKER_HOST: 'tcp://127.0.0.1:1',
        DOCKER_TLS_VERIFY: '1',
        DOCKER_CERT_PATH: '/nonexistent/certs',
        REDIS_URL: 'redis://127.0.0.1:1',
      },
      'DOCKER_CERT_PATH must hold ca.pem, cert.pem and key.pem (/nonexistent/certs/ca.pem: ENOENT)',
    ],
    [
      { IMAGES_FILE: '/nonexistent/images.json', REDIS_URL: 'redis://127.0.0.1:1' },
      'IMAGES_FILE must be a readable JSON file (/nonexistent/images.json',
    ],
  ])('GIVEN %o THEN exit 2 and one line on stderr naming the variable', async (variables, says) => {
    const result = await start(variables);
    expect(result.stderr).toMatch(/^containerlease: [^\n]+\n$/);
    expect(result.stderr).toContain(`containerlease: ${says}`);
    expect(result.stderr).not.toContain('hunter2');
    expect(result).toMatchObject({ code: 2, stdout: '' });
  });
});

describeWith({ redis: true, docker: true })(
  'the built product refuses a lease network that is not there',
  () => {
    it('GIVEN CONTAINER_NETWORK names no network THEN exit 2 and one line saying how to make it', async () => {
      const network = `clt-missing-${randomBytes(3).toString('hex')}`;
      const result = await start({
        CONTAINER_NETWORK: network,
        REDIS_URL,
        REDIS_PREFIX: uniquePrefix(),
        INSTANCE_ID: uniqueInstance(),
      });
      expect(result).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr).toMatch(/^containerlease: [^\n]+\n$/);
      expect(result.stderr).toContain(
        `containerlease: CONTAINER_NETWORK names the Docker network ${network}, which does not exist: create it (docker network create`,
      );
      expect(await testDocker().listNetworks({ filters: { name: [network] } })).toEqual([]);
    });
  },
);
