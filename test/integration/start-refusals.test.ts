import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAIN_JS } from '../support/app-process.js';

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
  ])('GIVEN %o THEN it says so on stderr and exits 2', async (variables, line) => {
    const result = await start(variables);
    expect(result).toEqual({ code: 2, stdout: '', stderr: line });
  });
});
