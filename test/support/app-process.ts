import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { eventually } from './eventually.js';
import {
  flushPrefix,
  REDIS_URL,
  removeInstanceContainers,
  TEST_IMAGE,
  testDocker,
  testRedis,
  uniqueInstance,
  uniquePrefix,
} from './services.js';

export const MAIN_JS = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** An IMAGES_FILE with the local test image, which prints a numbered line every second. */
export function writeTestCatalog(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'cl-images-')), 'images.json');
  writeFileSync(
    path,
    JSON.stringify({
      busybox: {
        image: TEST_IMAGE,
        cmd: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo "line $i"; sleep 1; done'],
        description: 'BusyBox test image',
      },
    }),
  );
  return path;
}

/** The built product as a child process, with its output collected for the test to wait on. */
export class AppProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  /** `cwd`: the folder it is started from. @defaultValue the test's own */
  constructor(args: string[], env: NodeJS.ProcessEnv, cwd?: string) {
    this.child = spawn(process.execPath, [MAIN_JS, ...args], { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString();
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** Waits until standard output matches; fails with what was printed if the process ends or it never does. */
  async waitFor(pattern: RegExp, timeoutMs = 120_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = this.stdout.match(pattern);
      if (match) return match;
      if (this.child.exitCode !== null) break;
      await sleep(100);
    }
    throw new Error(
      `never saw ${pattern}\n--- stdout ---\n${this.stdout}\n--- stderr ---\n${this.stderr.slice(-4000)}`,
    );
  }
}

/** What every test run of the built product sets: its own prefix, instance, data folder and the test catalog. */
export function testAppEnv(prefix: string, instanceId: string, redisUrl = REDIS_URL): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    PORT: '0',
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    INSTANCE_ID: instanceId,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'cl-app-')),
    IMAGES_FILE: writeTestCatalog(),
    LOG_LEVEL: 'info',
  };
}

/** The built product on the shared test Redis and Docker engine, cleaned up after. */
export function startTestApp(args: string[], extra: Record<string, string>) {
  const prefix = uniquePrefix();
  const instanceId = uniqueInstance();
  const docker = testDocker();
  const app = new AppProcess(args, { ...testAppEnv(prefix, instanceId), ...extra });
  return {
    app,
    prefix,
    instanceId,
    docker,
    /** The server's address, from the line it logs once it runs (needs LOG_LEVEL info). */
    url: async () => {
      const found = await eventually(
        () => (app.stdout + app.stderr).match(/"url":"(http:\/\/[^"]+)"/) ?? undefined,
        60_000,
        'the app to start',
      );
      return found[1] ?? '';
    },
    containers: () =>
      docker.listContainers({ all: true, filters: { label: [`io.containerlease.instance=${instanceId}`] } }),
    /** Removes what the run left behind; the test ends the process itself. */
    clean: async () => {
      const redis = testRedis();
      await removeInstanceContainers(docker, instanceId);
      await flushPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}
