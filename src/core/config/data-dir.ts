import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';

/** Reads a value kept in the data folder, or generates and keeps it, so it survives restarts. */
export function keptValue(dataDir: string, name: string, generate: () => string): string {
  const path = join(dataDir, name);
  try {
    const kept = readFileSync(path, 'utf8').trim();
    if (kept) return kept;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw unusable(dataDir, error);
  }
  const value = generate();
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process wrote it first: use theirs, so both agree.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(path, 'utf8').trim();
    throw unusable(dataDir, error);
  }
  chmodSync(path, 0o600);
  return value;
}

function unusable(dataDir: string, error: unknown): ConfigError {
  return new ConfigError(`DATA_DIR must be a writable directory (${dataDir}: ${(error as Error).message})`);
}

/** INSTANCE_ID, or the one generated at first start: the `instance` label of every container. */
export function resolveInstanceId(explicit: string | undefined, dataDir: string): string {
  return explicit ?? keptValue(dataDir, 'instance-id', () => `cl-${randomBytes(6).toString('hex')}`);
}

/** LINK_SECRET, or (outside production, which refuses to start without it) one kept in the data folder. */
export function resolveLinkSecret(explicit: string | undefined, dataDir: string): string {
  return explicit ?? keptValue(dataDir, 'link-secret', () => randomBytes(32).toString('hex'));
}
