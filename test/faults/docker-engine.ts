import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

function dockerAnswers(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

function dockerdPid(): number | undefined {
  try {
    return Number(execFileSync('pidof', ['dockerd'], { encoding: 'utf8' }).trim().split(' ')[0]) || undefined;
  } catch {
    return undefined;
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
  return process.getuid?.() === 0 && (systemdManaged() || dockerdPid() !== undefined);
}

/**
 * Restarts the Docker engine as its manager would: systemd when it runs it, otherwise the dockerd
 * process is stopped with SIGTERM and started again with the same command line (as .ci/run starts it).
 */
export async function restartDockerEngine(): Promise<void> {
  if (systemdManaged()) {
    execFileSync('systemctl', ['restart', 'docker']);
  } else {
    const pid = dockerdPid();
    if (pid === undefined) throw new Error('no dockerd to restart');
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 300 && dockerdPid() === pid; i += 1) await sleep(100);
    const [binary, ...args] = commandLine as [string, ...string[]];
    spawn(binary, args, { detached: true, stdio: 'ignore' }).unref();
  }
  for (let i = 0; i < 300 && !dockerAnswers(); i += 1) await sleep(100);
  if (!dockerAnswers()) throw new Error('the Docker engine did not come back');
}
