import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from './eventually.js';
import {
  flushPrefix,
  REDIS_URL,
  removeInstanceContainers,
  TEST_IMAGE,
  TEST_LEASE_NETWORK,
  testDocker,
  testRedis,
  uniqueInstance,
  uniquePrefix,
} from './services.js';

export const MAIN_JS = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
/** `npm run cleanup` as built. */
export const CLEANUP_JS = fileURLToPath(new URL('../../dist/cleanup.js', import.meta.url));

export interface AppProcessOptions {
  /** The built entry point to run. @defaultValue MAIN_JS */
  readonly entry?: string;
  /**
   * Run it in a pseudo-terminal, as a person at a terminal would (util-linux `script`): standard
   * input is then a TTY, and `stdout` collects the screen, standard error included.
   */
  readonly terminal?: boolean;
  /** The folder it is started from. @defaultValue the test's own */
  readonly cwd?: string;
}

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

  constructor(args: string[], env: NodeJS.ProcessEnv, options: AppProcessOptions = {}) {
    const nodeArgs = [options.entry ?? MAIN_JS, ...args];
    const spawnOptions = { env, cwd: options.cwd };
    this.child = options.terminal
      ? spawn('script', ['-qfec', [process.execPath, ...nodeArgs].join(' '), '/dev/null'], spawnOptions)
      : spawn(process.execPath, nodeArgs, spawnOptions);
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
    try {
      return await eventually(
        () => {
          const match = this.stdout.match(pattern);
          if (!match && this.child.exitCode !== null) throw new Error(`the process exited first`);
          return match ?? undefined;
        },
        timeoutMs,
        String(pattern),
      );
    } catch (error) {
      throw new Error(
        `never saw ${pattern}: ${(error as Error).message}\n--- stdout ---\n${this.stdout}\n--- stderr ---\n${this.stderr.slice(-4000)}`,
      );
    }
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
    CONTAINER_NETWORK: TEST_LEASE_NETWORK,
  };
}

/** An address the product logged as `"<key>":"http://…"`. */
async function loggedUrl(app: AppProcess, key: string, what: string): Promise<string> {
  const pattern = new RegExp(`"${key}":"(http:\\/\\/[^"]+)"`);
  const found = await eventually(() => (app.stdout + app.stderr).match(pattern) ?? undefined, 60_000, what);
  return found[1] ?? '';
}

/** The built product on the shared test Redis and Docker engine, cleaned up after. */
export function startTestApp(args: string[], extra: Record<string, string>, options: AppProcessOptions = {}) {
  const prefix = uniquePrefix();
  const instanceId = uniqueInstance();
  const docker = testDocker();
  const env = { ...testAppEnv(prefix, instanceId), ...extra };
  const app = new AppProcess(args, env, options);
  return {
    app,
    prefix,
    instanceId,
    dataDir: env.DATA_DIR ?? '',
    docker,
    /** The server's address, from the line it logs once it runs (needs LOG_LEVEL info). */
    url: () => loggedUrl(app, 'url', 'the app to start'),
    /** The port proxy's address, from the line it logs once it listens. */
    portsUrl: () => loggedUrl(app, 'portsUrl', 'the port proxy to listen'),
    containers: () =>
      docker.listContainers({ all: true, filters: { label: [`io.containerlease.instance=${instanceId}`] } }),
    /** Ends the process as an operator would (SIGTERM); resolves with its exit code. */
    stop: () => {
      app.child.kill('SIGTERM');
      return app.exited;
    },
    /** Removes what the run left behind, once the process has ended. */
    clean: async () => {
      const redis = testRedis();
      await removeInstanceContainers(docker, instanceId);
      await flushPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}
