import { randomUUID } from 'node:crypto';
import { interactiveProgram } from '../domain/interactive-programs.js';
import { MINUTE_MS } from '../domain/lease.js';
import { ConflictError, ValidationError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import { activityLease, type ContainerActivity } from '../ports/container-activity.js';
import type { ContainerExec, ContainerProcess } from '../ports/container-exec.js';
import type { SessionSlots } from '../ports/session-slots.js';
import type { Actor } from './access-policy.js';
import { requireReady } from './lease-readiness.js';
import type { LeaseService } from './lease-service.js';
import { OutputCapture } from './output-capture.js';

/** @defaultValue 30 */
export const EXEC_DEFAULT_TIMEOUT_SECONDS = 30;
export const EXEC_MAX_TIMEOUT_SECONDS = 300;
/** Output kept of one command: 1 MiB. */
export const EXEC_MAX_OUTPUT_BYTES = 1024 * 1024;
/** A command longer than this is a script: copy it in through the terminal. */
export const EXEC_MAX_COMMAND_CHARS = 4096;
/** A command's place outlives its timeout by this much, should its instance die while it runs. */
const SLOT_MARGIN_MS = MINUTE_MS;

export interface ExecRequest {
  readonly command: string;
  /** @defaultValue 30 */
  readonly timeoutSeconds?: number;
}

export interface ExecResult {
  /** Null when the command was killed (its timeout, or its caller went away). */
  readonly exitCode: number | null;
  /** Its stdout and stderr together, as a terminal would show them; at most 1 MiB of it. */
  readonly output: string;
  /** The command wrote more than was kept. */
  readonly truncated: boolean;
  readonly durationMs: number;
  /** It ran past its timeout and was killed, with everything it started. */
  readonly timedOut: boolean;
}

export interface ExecServiceDeps {
  readonly leases: LeaseService;
  readonly exec: ContainerExec;
  readonly slots: SessionSlots;
  readonly activity: ContainerActivity;
  readonly clock: Clock;
}

/**
 * One command in a lease's container (`/lease exec`, `POST /api/containers/<id>/exec`): `sh -c`
 * without a TTY, by the owner or an admin, one at a time per lease over all instances, killed with
 * everything it started at its timeout, its output kept up to 1 MiB.
 */
export class ExecService {
  constructor(private readonly deps: ExecServiceDeps) {}

  /** @throws validation, not_found, forbidden, conflict (lease not ready, or a command runs already) */
  async run(actor: Actor, leaseId: string, request: ExecRequest, signal?: AbortSignal): Promise<ExecResult> {
    const command = requireCommand(request.command);
    const timeoutSeconds = requireTimeout(request.timeoutSeconds);
    const lease = await this.deps.leases.get(actor, leaseId);
    requireReady(lease);
    const holder = randomUUID();
    const ttlMs = timeoutSeconds * 1000 + SLOT_MARGIN_MS;
    if (!(await this.deps.slots.take('exec', lease.id, holder, 1, ttlMs))) {
      throw new ConflictError(
        `Lease ${lease.id} is running another command; one runs at a time. Wait for it, or use the lease's terminal.`,
      );
    }
    try {
      const started = this.deps.clock.now();
      const process = await this.deps.exec.spawn(lease.containerId, { argv: ['sh', '-c', command] });
      const run = await runToEnd(process, timeoutSeconds * 1000, signal);
      const durationMs = this.deps.clock.now() - started;
      this.deps.activity.commandRan({
        lease: activityLease(lease),
        actor: actor.owner,
        command,
        exitCode: run.exitCode,
        timedOut: run.timedOut,
        durationMs,
        outputBytes: run.capture.total,
      });
      return {
        exitCode: run.exitCode,
        output: run.capture.text(),
        truncated: run.capture.truncated,
        durationMs,
        timedOut: run.timedOut,
      };
    } finally {
      await this.deps.slots.release('exec', lease.id, holder).catch(() => {});
    }
  }
}

async function runToEnd(process: ContainerProcess, timeoutMs: number, signal: AbortSignal | undefined) {
  const capture = new OutputCapture(EXEC_MAX_OUTPUT_BYTES);
  let timedOut = false;
  let killed = false;
  const kill = () => {
    killed = true;
    void process.kill().catch(() => {});
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, timeoutMs);
  signal?.addEventListener('abort', kill);
  try {
    for await (const chunk of process.output) capture.add(chunk);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', kill);
  }
  // Jobs a command started in the background and left running are its business (a server, say).
  return { capture, timedOut, exitCode: killed ? null : await process.exitCode() };
}

function requireCommand(command: unknown): string {
  const text = typeof command === 'string' ? command.trim() : '';
  if (text === '')
    throw new ValidationError('Say which command to run, e.g. uname -a.', { details: { field: 'command' } });
  if (text.length > EXEC_MAX_COMMAND_CHARS) {
    throw new ValidationError(
      `A command is at most ${EXEC_MAX_COMMAND_CHARS} characters (got ${text.length}); run longer scripts in the terminal.`,
      { details: { field: 'command' } },
    );
  }
  if (text.includes('\0'))
    throw new ValidationError('A command cannot contain NUL characters.', { details: { field: 'command' } });
  const program = interactiveProgram(text);
  if (program) {
    throw new ValidationError(
      `${program} is interactive: it needs a terminal, which a command run from here does not have. Open the lease's terminal instead.`,
      { details: { field: 'command', interactive: program } },
    );
  }
  return text;
}

function requireTimeout(seconds: number | undefined): number {
  const value = seconds ?? EXEC_DEFAULT_TIMEOUT_SECONDS;
  if (!Number.isInteger(value) || value < 1 || value > EXEC_MAX_TIMEOUT_SECONDS) {
    throw new ValidationError(
      `timeoutSeconds must be a whole number from 1 to ${EXEC_MAX_TIMEOUT_SECONDS} (got ${String(value).slice(0, 20)}).`,
      { details: { field: 'timeoutSeconds', max: EXEC_MAX_TIMEOUT_SECONDS } },
    );
  }
  return value;
}
