import { readFileSync } from 'node:fs';
import type { Cluster, Redis, Result } from 'ioredis';

/**
 * The Lua scripts, one atomic check-and-change each. A file is named `<command>-<number of keys>.lua`
 * and sits beside this module (the build copies them into dist/). Each is preceded by
 * `lib/audit.lua`, the helpers that write the audit trail inside the script that makes the change.
 */
const SCRIPT_FILES = [
  'createLease-5',
  'activateLease-5',
  'extendLease-4',
  'claimDue-1',
  'beginCleaning-2',
  'releaseLease-2',
  'beginStop-2',
  'adoptLease-5',
  'closeOrphan-3',
  'deleteLease-5',
  'claimWarnings-2',
  'releaseLock-1',
  'claimPooled-2',
  'takeSlot-1',
  'appendAudit-1',
] as const;

/**
 * Scripts that run another's source first, as a local function of its name: one source of truth
 * for the checks both make. The wrapping script's own keys come first, the wrapped script's after.
 */
const WRAPS: Partial<Record<string, string>> = { claimPooled: 'createLease' };

type Arg = string | number;
type Flat = string[];

declare module 'ioredis' {
  interface RedisCommander<Context> {
    createLease(
      lease: string,
      expiry: string,
      owner: string,
      team: string,
      audit: string,
      ...args: Arg[]
    ): Result<number, Context>;
    activateLease(
      lease: string,
      expiry: string,
      warnings: string,
      container: string,
      audit: string,
      ...args: Arg[]
    ): Result<number | Flat, Context>;
    extendLease(
      lease: string,
      expiry: string,
      warnings: string,
      audit: string,
      ...args: Arg[]
    ): Result<number | Flat, Context>;
    claimDue(
      expiry: string,
      base: string,
      limit: number,
      visibilityMs: number,
      token: string,
    ): Result<Flat, Context>;
    beginCleaning(lease: string, expiry: string, id: string, token: string): Result<[number, Flat?], Context>;
    beginStop(lease: string, expiry: string, ...args: Arg[]): Result<number | Flat, Context>;
    adoptLease(
      lease: string,
      expiry: string,
      warnings: string,
      container: string,
      audit: string,
      ...args: Arg[]
    ): Result<number, Context>;
    closeOrphan(lease: string, stream: string, audit: string, ...args: Arg[]): Result<number, Context>;
    releaseLease(lease: string, expiry: string, id: string, token: string): Result<number, Context>;
    deleteLease(
      lease: string,
      expiry: string,
      warnings: string,
      stream: string,
      audit: string,
      ...args: Arg[]
    ): Result<number, Context>;
    claimWarnings(warnings: string, stream: string, ...args: Arg[]): Result<number, Context>;
    releaseLock(lock: string, token: string): Result<number, Context>;
    /** The pool and claimed keys, then createLease's keys and arguments. */
    claimPooled(...keysAndArgs: Arg[]): Result<number | string, Context>;
    takeSlot(slots: string, holder: string, max: number, ttlMs: number): Result<number, Context>;
    appendAudit(audit: string, ...args: Arg[]): Result<number, Context>;
  }
}

let sources: Map<string, string> | undefined;

/** A Lua file beside this module (the build copies them into dist/). */
function readScript(path: string): string {
  const url = new URL(`./scripts/${path}`, import.meta.url);
  // Stryker disable next-line StringLiteral: without an encoding readFileSync gives a Buffer, which the template joining the sources turns into the same UTF-8 text
  return readFileSync(url, 'utf8');
}

function loadSources(): Map<string, string> {
  sources ??= new Map(SCRIPT_FILES.map((file) => [file, readScript(`${file}.lua`)]));
  return sources;
}

let library: string | undefined;

function auditLibrary(): string {
  library ??= readScript('lib/audit.lua');
  return library;
}

/** Registers every script as a command on the connection (EVALSHA, falling back to EVAL). */
export function defineScripts(redis: Redis | Cluster): void {
  const files = loadSources();
  const split = (file: string) => file.split('-') as [string, string];
  const byName = new Map([...files.keys()].map((file) => [split(file)[0], file]));
  for (const [file, lua] of files) {
    const [name, keys] = split(file);
    // Stryker disable next-line StringLiteral: no script has that name either, so the lookup finds none alike
    const inner = byName.get(WRAPS[name] ?? '');
    const wrapped =
      inner === undefined ? '' : `local function ${split(inner)[0]}()\n${files.get(inner)}\nend\n`;
    redis.defineCommand(name, {
      numberOfKeys: Number(keys) + (inner === undefined ? 0 : Number(split(inner)[1])),
      lua: `${auditLibrary()}\n${wrapped}${lua}`,
    });
  }
}
