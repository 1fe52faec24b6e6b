import { execFileSync, spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const ENGINE_LOG = '/tmp/containerlease-dockerd.log';

function dockerAnswers(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

function pidsOf(program: string): number[] {
  try {
    return execFileSync('pidof', [program], { encoding: 'utf8' })
      .trim()
      .split(/\s+/)
      .map(Number)
      .filter(Boolean);
  } catch {
    return [];
  }
}

function systemdManaged(): boolean {
  try {
    execFileSync('systemctl', ['is-active', '--quiet', 'docker'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Whether this machine lets a test restart the Docker engine (root, and a dockerd we can see). */
export function canRestartDockerEngine(): boolean {
  return process.getuid?.() === 0 && (systemdManaged() || pidsOf('dockerd').length > 0);
}

async function waitUntil(condition: () => boolean, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(200))
    if (condition()) return true;
  return condition();
}

/** Stops dockerd (and the containerd it runs) with SIGTERM, then SIGKILL if it will not go. */
async function stopEngine(pid: number): Promise<void> {
  process.kill(pid, 'SIGTERM');
  if (!(await waitUntil(() => !pidsOf('dockerd').includes(pid), 30_000))) process.kill(pid, 'SIGKILL');
  await waitUntil(() => !pidsOf('dockerd').includes(pid), 10_000);
  for (const stray of pidsOf('containerd')) {
    if (readFileSync(`/proc/${stray}/cmdline`, 'utf8').includes('/var/run/docker/containerd'))
      process.kill(stray, 'SIGKILL');
  }
}

/**
 * Restarts the Docker engine as its manager would, leaving it down for `downForMs` in between:
 * systemd when it runs it, otherwise the dockerd
 * process is stopped and started again with the same command line (as .ci/run starts it). An engine
 * that comes back but does not answer is restarted once more, so one wedged restart of Docker
 * 20.10 does not leave the machine without an engine for the tests after this one.
 */
export async function restartDockerEngine(options: { downForMs?: number } = {}): Promise<void> {
  const downForMs = options.downForMs ?? 0;
  if (systemdManaged()) {
    execFileSync('systemctl', ['stop', 'docker']);
    await sleep(downForMs);
    execFileSync('systemctl', ['start', 'docker']);
  } else {
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const pid = pidsOf('dockerd')[0];
      if (pid === undefined) throw new Error('no dockerd to restart');
      const [binary, ...args] = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean) as [
        string,
        ...string[],
      ];
      await stopEngine(pid);
      if (attempt === 1) await sleep(downForMs);
      const log = openSync(ENGINE_LOG, 'a');
      spawn(binary, args, { detached: true, stdio: ['ignore', log, log] }).unref();
      if (await waitUntil(dockerAnswers, 60_000)) return;
    }
  }
  if (!(await waitUntil(dockerAnswers, 60_000)))
    throw new Error(`the Docker engine did not come back (see ${ENGINE_LOG})`);
}
