import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { TEST_IMAGE } from './services.js';

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

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [MAIN_JS, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
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
