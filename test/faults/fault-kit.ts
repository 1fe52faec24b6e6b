import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { consoleUser } from '../../src/bots/console/console-user.js';
import { type AdapterSettings, openAdapters } from '../../src/composition/adapters.js';
import { ImageCatalog } from '../../src/core/config/image-catalog.js';
import { MINUTE_MS, type NotifyTarget } from '../../src/core/domain/lease.js';
import { type Clock, systemClock } from '../../src/core/ports/clock.js';
import type { WarmPool } from '../../src/core/services/warm-pool.js';
import { ManualClock } from '../doubles/manual-clock.js';
import { AppProcess, testAppEnv } from '../support/app-process.js';
import { containerEndings } from '../support/docker-events.js';
import { eventually } from '../support/eventually.js';
import { makeLeaseService, TEST_CATALOG } from '../support/lease-service-fixture.js';
import {
  DOCKER_HOST,
  removeInstanceContainers,
  TEST_IMAGE,
  uniqueInstance,
  uniquePrefix,
} from '../support/services.js';

/** The test catalog plus an image whose process ignores SIGTERM, so a stop takes the whole stop timeout. */
const FAULT_CATALOG = new ImageCatalog([
  ...TEST_CATALOG.list(),
  {
    name: 'stubborn',
    image: TEST_IMAGE,
    cmd: ['sh', '-c', 'trap "" TERM; while true; do sleep 1; done'],
    description: 'ignores SIGTERM',
    maxMinutes: undefined,
    capAdd: [],
  },
]);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server of the scenario's own (so it can be flushed or killed), append-only on. */
export class RedisServer {
  private process: ChildProcess | undefined;
  readonly dir = mkdtempSync(join(tmpdir(), 'cl-fault-redis-'));

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i += 1) {
      try {
        execFileSync('redis-cli', ['-p', String(this.port), 'ping'], { stdio: 'pipe' });
        return;
      } catch {
        await sleep(100);
      }
    }
    throw new Error(`redis-server on ${this.port} did not start`);
  }

  /** kill -9: no chance to flush anything beyond what the append-only file already has. */
  async kill(): Promise<void> {
    const exited = new Promise((resolve) => this.process?.once('exit', resolve));
    this.process?.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    if (this.process?.exitCode === null) await this.kill();
  }
}

/** Where a scenario's Redis is when it is not one server: Sentinels or a Cluster. */
export type Topology = Pick<AdapterSettings, 'sentinel' | 'clusterNodes'>;

/** The variables that point the product at a topology instead of REDIS_URL. */
function topologyEnv({ sentinel, clusterNodes }: Topology): Record<string, string> {
  const list = (nodes: readonly { host: string; port: number }[]) =>
    nodes.map(({ host, port }) => `${host}:${port}`).join(',');
  if (sentinel)
    return { REDIS_URL: '', REDIS_SENTINELS: list(sentinel.nodes), REDIS_SENTINEL_NAME: sentinel.name };
  if (clusterNodes) return { REDIS_URL: '', REDIS_CLUSTER_NODES: list(clusterNodes) };
  return {};
}

/**
 * The product's pieces a scenario drives from outside: leases made with a clock of its choosing.
 * A lease still provisioning is due for cleanup after `provisionTimeoutMs`.
 */
export function makeScenario(redisUrl: string, topology: Topology = {}, provisionTimeoutMs = 10 * MINUTE_MS) {
  const prefix = uniquePrefix();
  const instanceId = uniqueInstance();
  const adapters = openAdapters({
    redisUrl,
    ...topology,
    redisPrefix: prefix,
    dockerHost: DOCKER_HOST,
    warnBeforeMs: 0,
  });
  const { redis, keys, store, docker, runtime } = adapters;
  /** Claims from the warm pools an app of the scenario keeps (started with POOL), refilling none itself. */
  const warmPool: WarmPool = { store: adapters.pool, keeps: () => true, claimed() {} };
  const leaseService = (clock: Clock, pooled = false) =>
    makeLeaseService({
      store,
      runtime,
      clock,
      instanceId,
      catalog: FAULT_CATALOG,
      policy: { maxPerUser: 1000, warnMinutes: 0, provisionTimeoutMs },
      pool: pooled ? warmPool : undefined,
    });
  const leases = leaseService(systemClock);
  const owner = `local:${consoleUser()}`;

  /**
   * A running 60-minute lease whose clock started long enough ago that it expires `inMs` from now.
   * Each provision has a clock of its own: provisions run side by side read it after awaiting Docker.
   */
  const provision = (
    inMs: number,
    imageType = 'busybox',
    who?: { owner: string; notify: NotifyTarget },
    pooled = false,
  ) => {
    const service = leaseService(new ManualClock(Date.now() + inMs - 60 * MINUTE_MS), pooled);
    return service.provision(leases.actor(who?.owner ?? owner), {
      imageType,
      minutes: 60,
      notify: who?.notify ?? { platform: 'local', user: consoleUser() },
    });
  };

  const containers = async () =>
    docker.listContainers({ all: true, filters: { label: [`io.containerlease.instance=${instanceId}`] } });

  const appEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    ...testAppEnv(prefix, instanceId, redisUrl),
    CLEANUP_INTERVAL: '1s',
    CLEANUP_VISIBILITY_TIMEOUT: '5s',
    LEASE_WARN_MINUTES: '0',
    CONTAINER_STOP_TIMEOUT: '2',
    ...topologyEnv(topology),
    ...extra,
  });

  const startApp = (extra?: Record<string, string>) => new AppProcess(['--console'], appEnv(extra));

  const close = async (apps: AppProcess[] = []) => {
    for (const app of apps) {
      app.child.stdin.end();
      if (app.child.exitCode === null) app.child.kill('SIGKILL');
    }
    await removeInstanceContainers(docker, instanceId);
    await adapters.close();
  };

  return {
    prefix,
    instanceId,
    adapters,
    redis,
    keys,
    store,
    docker,
    runtime,
    leases,
    owner,
    provision,
    containers,
    startApp,
    appEnv,
    close,
  };
}

/** The `expired` notices that apps started with the console printed for lease `id`, all together. */
export function expiredNotices(apps: AppProcess | AppProcess[], id: string): string[] {
  return [apps]
    .flat()
    .flatMap((app) => app.stdout.split('\n'))
    .filter((line) => line.includes('[notice]') && line.includes(`lease ${id} expired`));
}

/** When each cleanup run of an app (started with the console, so its log is on stderr) finished, in epoch ms. */
export function cleanupRunEnds(app: AppProcess): number[] {
  return app.stderr
    .split('\n')
    .filter((line) => line.includes('"msg":"cleanup run finished"'))
    .map((line) => (JSON.parse(line) as { time: number }).time);
}

/** Counts what a scenario must leave behind: nothing. */
export async function leftovers(
  s: ReturnType<typeof makeScenario>,
): Promise<{ containers: number; leases: number }> {
  return { containers: (await s.containers()).length, leases: await s.store.count() };
}

/**
 * Waits until the scenario's cleanup run has begun ending a container since `since`: Docker's own
 * kill event (SIGTERM sent), which a poll of container states can miss when the stop and removal
 * are quick.
 */
export async function stopsHaveBegun(s: ReturnType<typeof makeScenario>, since: number): Promise<void> {
  await eventually(
    async () => (await containerEndings(s.docker, s.instanceId, since)).size > 0,
    60_000,
    'the cleanup run to start stopping containers',
  );
}

/** Every container and lease record of the scenario is gone, in time. */
export async function expectAllRemoved(s: ReturnType<typeof makeScenario>): Promise<void> {
  await eventually(async () => (await leftovers(s)).containers === 0, 90_000, 'every container removed');
  await eventually(async () => (await leftovers(s)).leases === 0, 60_000, 'every lease record removed');
}

/**
 * Docker ended each lease's container at or after its expiry (by the engine's own event times),
 * and its owner was told exactly once: a redelivery would show within a few dispatcher rounds.
 */
export async function expectEndedAtExpiryAndToldOnce(
  s: ReturnType<typeof makeScenario>,
  app: AppProcess,
  leases: ReadonlyArray<{ id: string; containerId: string; expiresAt: number }>,
  since: number,
): Promise<void> {
  const endings = await containerEndings(s.docker, s.instanceId, since);
  for (const lease of leases) expect(endings.get(lease.containerId)).toBeGreaterThanOrEqual(lease.expiresAt);
  await expectToldOnce(app, leases);
}

/** Each lease's owner was told of its expiry exactly once, by whichever of `apps` sent it: a redelivery would show within a few dispatcher rounds. */
export async function expectToldOnce(
  apps: AppProcess | AppProcess[],
  leases: ReadonlyArray<{ id: string }>,
): Promise<void> {
  for (const lease of leases)
    await eventually(
      async () => expiredNotices(apps, lease.id).length > 0,
      30_000,
      `the notice for ${lease.id}`,
    );
  await sleep(3_000);
  for (const lease of leases) expect(expiredNotices(apps, lease.id)).toHaveLength(1);
}
