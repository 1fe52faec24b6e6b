import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import type { HostPort } from '../../src/core/config/schemas.js';
import { eventually } from '../support/eventually.js';
import { freePort } from './fault-kit.js';

const run = promisify(execFile);

const cli = async (port: number, ...args: string[]): Promise<string> =>
  (await run('redis-cli', ['-p', String(port), ...args])).stdout.trim();

/** One redis-server (or Sentinel) of a scenario, on a random port in a temp dir of its own. */
class Node {
  private process: ChildProcess | undefined;
  readonly dir = mkdtempSync(join(tmpdir(), 'cl-topology-'));

  constructor(
    readonly port: number,
    private readonly args: (dir: string) => string[],
  ) {}

  async start(): Promise<void> {
    this.process = spawn('redis-server', this.args(this.dir), { stdio: 'ignore' });
    await eventually(
      async () => (await cli(this.port, 'ping').catch(() => '')) === 'PONG',
      10_000,
      `redis-server on ${this.port}`,
    );
  }

  /** kill -9: whatever it had not yet sent to its replicas is gone. */
  async kill(): Promise<void> {
    const server = this.process;
    // Killed by a signal, a process has a signalCode and no exitCode.
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
  }
}

const serverArgs = (port: number, dir: string, ...extra: string[]) => [
  '--port',
  String(port),
  '--bind',
  '127.0.0.1',
  '--dir',
  dir,
  '--save',
  '',
  '--appendonly',
  'no',
  '--maxmemory-policy',
  'noeviction',
  // DEBUG SLEEP stalls a replica (stallReplica).
  '--enable-debug-command',
  'local',
  ...extra,
];

/** A primary, a replica and three Sentinels (quorum 2) watching them as `name`. */
export class SentinelGroup {
  readonly name = 'clprimary';
  private servers: Node[] = [];
  private sentinelNodes: Node[] = [];

  get sentinels(): HostPort[] {
    return this.sentinelNodes.map(({ port }) => ({ host: '127.0.0.1', port }));
  }

  async start(): Promise<void> {
    const [primaryPort, replicaPort] = [await freePort(), await freePort()];
    const primary = new Node(primaryPort, (dir) => serverArgs(primaryPort, dir));
    const replica = new Node(replicaPort, (dir) =>
      serverArgs(replicaPort, dir, '--replicaof', '127.0.0.1', String(primaryPort)),
    );
    this.servers = [primary, replica];
    await Promise.all(this.servers.map((server) => server.start()));
    for (let i = 0; i < 3; i += 1) {
      const port = await freePort();
      this.sentinelNodes.push(
        new Node(port, (dir) => {
          const conf = join(dir, 'sentinel.conf');
          writeFileSync(
            conf,
            [
              `port ${port}`,
              'bind 127.0.0.1',
              `dir ${dir}`,
              `sentinel monitor ${this.name} 127.0.0.1 ${primaryPort} 2`,
              `sentinel down-after-milliseconds ${this.name} 1000`,
              `sentinel failover-timeout ${this.name} 5000`,
              '',
            ].join('\n'),
          );
          return [conf, '--sentinel'];
        }),
      );
    }
    await Promise.all(this.sentinelNodes.map((sentinel) => sentinel.start()));
    await eventually(
      async () => (await this.primaryPort()) === primaryPort && (await this.replicasInSync()),
      20_000,
      'the Sentinels to see the primary and its replica in sync',
    );
  }

  /** The primary's port as the Sentinels name it now. */
  async primaryPort(): Promise<number> {
    const reply = await cli(
      this.sentinelNodes[0]?.port ?? 0,
      'sentinel',
      'get-master-addr-by-name',
      this.name,
    );
    return Number(reply.split('\n')[1]);
  }

  private async replicasInSync(): Promise<boolean> {
    const info = await cli(await this.primaryPort(), 'info', 'replication').catch(() => '');
    return /connected_slaves:1/.test(info) && /state=online/.test(info);
  }

  /**
   * Makes the replica answer nothing, its primary included, for `ms` (DEBUG SLEEP). Resolves once
   * it sleeps, with a promise of its waking.
   */
  async stallReplica(ms: number): Promise<{ awake: Promise<unknown> }> {
    const primary = await this.primaryPort();
    const replica = this.servers.find((server) => server.port !== primary);
    const client = new Redis({ port: replica?.port ?? 0, host: '127.0.0.1' });
    await client.ping();
    const awake = client.call('DEBUG', 'SLEEP', String(ms / 1000)).finally(() => client.disconnect());
    // Asleep when it no longer answers another connection.
    await eventually(
      async () =>
        !(await run('timeout', ['0.3', 'redis-cli', '-p', String(replica?.port), 'ping']).catch(
          () => undefined,
        )),
      5_000,
      'the replica to stall',
    ).catch(() => undefined);
    return { awake };
  }

  /**
   * Kills the primary with -9 and waits until the Sentinels have promoted the replica. Returns the
   * old and new primary ports.
   */
  async failover(): Promise<{ from: number; to: number }> {
    const from = await this.primaryPort();
    await this.servers.find((server) => server.port === from)?.kill();
    const to = await eventually(
      async () => {
        const port = await this.primaryPort().catch(() => from);
        return port !== from ? port : undefined;
      },
      30_000,
      'the Sentinels to promote the replica',
    );
    return { from, to };
  }

  async stop(): Promise<void> {
    await Promise.all([...this.sentinelNodes, ...this.servers].map((node) => node.kill()));
  }
}

/** Three primaries with a replica each, made a Cluster by `redis-cli --cluster create`. */
export class RedisCluster {
  private nodes: Node[] = [];

  get startupNodes(): HostPort[] {
    return this.nodes.slice(0, 3).map(({ port }) => ({ host: '127.0.0.1', port }));
  }

  async start(): Promise<void> {
    for (let i = 0; i < 6; i += 1) {
      const port = await freePort();
      this.nodes.push(
        new Node(port, (dir) =>
          serverArgs(
            port,
            dir,
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            join(dir, 'nodes.conf'),
            '--cluster-node-timeout',
            '1000',
          ),
        ),
      );
    }
    await Promise.all(this.nodes.map((node) => node.start()));
    await run('redis-cli', [
      '--cluster',
      'create',
      ...this.nodes.map(({ port }) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ]);
    await eventually(
      async () => {
        const states = await Promise.all(this.nodes.map(({ port }) => cli(port, 'cluster', 'info')));
        return states.every((info) => info.includes('cluster_state:ok'));
      },
      30_000,
      'every node to report cluster_state:ok',
    );
  }

  /** The port of the primary that serves `key`'s slot now. */
  async primaryOf(key: string): Promise<number> {
    const slot = await cli(this.nodes[0]?.port ?? 0, 'cluster', 'keyslot', key);
    for (const node of this.nodes) {
      const role = await cli(node.port, 'role').catch(() => '');
      if (role.startsWith('master') && (await ownsSlot(node.port, Number(slot)))) return node.port;
    }
    throw new Error(`no primary serves slot ${slot}`);
  }

  /** Kills the primary of `key`'s slot with -9 and waits until its replica serves the slot. */
  async failover(key: string): Promise<{ from: number; to: number }> {
    const from = await this.primaryOf(key);
    await this.nodes.find((node) => node.port === from)?.kill();
    const to = await eventually(
      async () => {
        const port = await this.primaryOf(key).catch(() => from);
        return port !== from ? port : undefined;
      },
      30_000,
      'the replica to take over the slot',
    );
    await sleep(200);
    return { from, to };
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.kill()));
  }
}

/** Whether the node at `port` serves `slot`, by its own CLUSTER SLOTS as seen from itself. */
async function ownsSlot(port: number, slot: number): Promise<boolean> {
  const { stdout } = await run('redis-cli', ['-p', String(port), '--json', 'cluster', 'slots']).catch(() => ({
    stdout: '[]',
  }));
  const ranges = JSON.parse(stdout) as [number, number, [string, number, string]][];
  return ranges.some(([first, last, [, owner]]) => first <= slot && slot <= last && owner === port);
}
