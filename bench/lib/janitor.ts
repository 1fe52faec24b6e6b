import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import { connectDocker } from '../../src/core/adapters/docker/docker-connection.js';
import { connectRedis } from '../../src/core/adapters/redis/redis-connection.js';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Baseline containers carry this label with their scope's instance id. */
export const BASELINE_LABEL = 'io.containerlease.bench';

/**
 * What one benchmark may leave behind: Redis keys under `prefix`, containers labelled with
 * `instanceId` (ours, by `io.containerlease.instance`; the baseline's, by `io.containerlease.bench`).
 */
export interface BenchScope {
  readonly prefix: string;
  readonly instanceId: string;
}

const open = new Set<BenchScope>();
const used: BenchScope[] = [];
const children = new Set<ChildProcess>();
let services: { docker: Docker; redis: Redis } | undefined;
let interruptedBy: NodeJS.Signals | undefined;

/** The signal that cut the run short, if one did: no further benchmark should start. */
export function interrupted(): NodeJS.Signals | undefined {
  return interruptedBy;
}

function connect() {
  services ??= {
    docker: connectDocker(process.env.TEST_DOCKER_HOST).docker,
    redis: connectRedis(REDIS_URL, () => {}),
  };
  return services;
}

/** A fresh prefix and instance id, removed by `closeScope`, or by the signal handler if the run is cut short. */
export function openScope(): BenchScope {
  const tag = randomBytes(4).toString('hex');
  const scope = { prefix: `bench:${tag}:`, instanceId: `bench-${tag}` };
  open.add(scope);
  used.push(scope);
  return scope;
}

/** Removes the scope's containers and keys. Safe to call twice. */
export async function closeScope(scope: BenchScope): Promise<void> {
  open.delete(scope);
  const { docker, redis } = connect();
  await removeLabelled(docker, `io.containerlease.instance=${scope.instanceId}`);
  await removeLabelled(docker, `${BASELINE_LABEL}=${scope.instanceId}`);
  const keys = await scanKeys(redis, scope.prefix);
  for (let at = 0; at < keys.length; at += 500) await redis.unlink(...keys.slice(at, at + 500));
}

/** A child process to kill if the run is cut short; forgotten once it exits. */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** Containers and keys that any scope of this run left behind (all zero after a clean run). */
export async function leftovers(): Promise<{ containers: number; keys: number }> {
  const { docker, redis } = connect();
  let containers = 0;
  let keys = 0;
  for (const scope of used) {
    for (const label of [
      `io.containerlease.instance=${scope.instanceId}`,
      `${BASELINE_LABEL}=${scope.instanceId}`,
    ])
      containers += (await docker.listContainers({ all: true, filters: { label: [label] } })).length;
    keys += (await scanKeys(redis, scope.prefix)).length;
  }
  return { containers, keys };
}

/** Cleans every open scope and kills every child; used on failure and on SIGINT/SIGTERM. */
export async function cleanEverything(): Promise<void> {
  for (const child of children) child.kill('SIGKILL');
  for (const scope of [...open]) await closeScope(scope).catch(() => {});
}

export function disconnect(): void {
  services?.redis.disconnect();
  services = undefined;
}

/** On Ctrl-C or SIGTERM: clean up, then exit with the conventional code. */
export function cleanUpOnSignals(): void {
  const onSignal = (signal: NodeJS.Signals) => {
    interruptedBy = signal;
    process.stderr.write(`\n${signal}: removing what the benchmarks created…\n`);
    void cleanEverything().finally(() => {
      disconnect();
      process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

export async function removeLabelled(docker: Docker, label: string): Promise<void> {
  const found = await docker.listContainers({ all: true, filters: { label: [label] } });
  await Promise.all(
    found.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => {}),
    ),
  );
}

async function scanKeys(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  return keys;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
