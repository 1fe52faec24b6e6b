import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const UNIT = fileURLToPath(new URL('../../deploy/containerlease.service', import.meta.url));
const ANALYZE = '/usr/bin/systemd-analyze';

// The unit cannot be started here (no systemd as process 1), so systemd's own offline checks judge
// it: it parses, and its exposure score stays at most 2.0 ("OK") so hardening is not dropped unseen.
describe.skipIf(!existsSync(ANALYZE) && process.env.CI !== 'true')('deploy/containerlease.service', () => {
  it('GIVEN the unit THEN systemd-analyze verify finds nothing wrong', async () => {
    const { stderr } = await run(ANALYZE, ['verify', UNIT]);
    expect(stderr).toBe('');
  });

  it('GIVEN the unit THEN its exposure is at most 2.0 of 10', async () => {
    const { stdout } = await run(ANALYZE, ['security', '--offline=true', '--threshold=20', UNIT]);
    const exposure = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(stdout)?.[1]);
    expect(exposure).toBeLessThanOrEqual(2);
  });
});
