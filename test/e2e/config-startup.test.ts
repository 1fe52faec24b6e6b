import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAIN_JS } from '../support/app-process.js';

interface Ended {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A product that has not stopped by then is stuck: a hang guard, not a speed check. */
const HANG_GUARD_MS = 30_000;

/** Runs the built product with only `env` (and PATH), in a data folder of its own; resolves once it ends. */
function runProduct(env: Record<string, string>): Promise<Ended> {
  const child = spawn(process.execPath, [MAIN_JS], {
    env: { PATH: process.env.PATH ?? '', DATA_DIR: mkdtempSync(join(tmpdir(), 'cl-config-')), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const guard = setTimeout(() => child.kill('SIGKILL'), HANG_GUARD_MS);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('the built product refuses a bad configuration at start-up', () => {
  it.each([
    [{ PORT: 'abc' }, 'PORT must be a TCP port number from 0 to 65535 (got "abc")'],
    [
      { CLEANUP_INTERVAL: 'soon' },
      'CLEANUP_INTERVAL must be a duration from 1s to 1d, e.g. 1m or 30s (got "soon")',
    ],
    [
      { CONTAINER_MEMORY: 'lots' },
      'CONTAINER_MEMORY must be a size of at least 6m, e.g. 512m or 1g (got "lots")',
    ],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET must be set when SLACK_BOT_TOKEN is set'],
    [{ LINK_SECRET: 'hunter2' }, 'LINK_SECRET must be at least 32 characters'],
    // Checked before anything starts: the unreachable Redis is never tried.
    [
      { IMAGES_FILE: '/nonexistent/images.json', REDIS_URL: 'redis://127.0.0.1:1' },
      'IMAGES_FILE must be a readable JSON file (/nonexistent/images.json',
    ],
  ])(
    'GIVEN %o THEN exit code 2 and one line on stderr naming the variable, nothing on stdout',
    async (env, says) => {
      const ended = await runProduct(env);
      expect(ended.stderr).toMatch(/^containerlease: [^\n]+\n$/);
      expect(ended.stderr).toContain(`containerlease: ${says}`);
      expect(ended.stderr).not.toContain('hunter2');
      expect(ended.stdout).toBe('');
      expect(ended.code).toBe(2);
    },
  );
});
