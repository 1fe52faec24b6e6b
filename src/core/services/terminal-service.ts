import { randomUUID } from 'node:crypto';
import type { TerminalPolicy } from '../config/config.js';
import { type LeaseView, MINUTE_MS } from '../domain/lease.js';
import type { TerminalSize } from '../domain/terminal-size.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import { activityLease, type ContainerActivity } from '../ports/container-activity.js';
import type { ContainerExec } from '../ports/container-exec.js';
import type { Logger } from '../ports/logger.js';
import type { SessionSlots } from '../ports/session-slots.js';
import type { TerminalTickets } from '../ports/terminal-tickets.js';
import type { Actor } from './access-policy.js';
import { type NotReady, readiness, requireReady } from './lease-readiness.js';
import type { LeaseService } from './lease-service.js';
import { TerminalSession } from './terminal-session.js';

/** How long a terminal ticket is good for. */
export const TICKET_TTL_MS = MINUTE_MS;
/** A terminal's place among its lease's lasts this long unless its session renews it. */
const SLOT_TTL_MS = 90_000;
const STOP_SETTLE_MS = 3_000;

/** A login shell: bash where the image has it, else sh. */
const LOGIN_SHELL = ['sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash -l; fi; exec sh -l'];
/** What the shell is told about the terminal xterm.js emulates. */
const TERMINAL_ENV = { TERM: 'xterm-256color', COLORTERM: 'truecolor' };

export interface TerminalServiceDeps {
  readonly leases: LeaseService;
  readonly exec: ContainerExec;
  readonly tickets: TerminalTickets;
  readonly slots: SessionSlots;
  readonly activity: ContainerActivity;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly policy: TerminalPolicy;
  /**
   * How long a shell's end by a signal waits for its container to show stopped (TerminalSession
   * says why). @defaultValue 3000
   */
  readonly stopSettleMs?: number;
}

export interface Ticket {
  readonly ticket: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** Why a terminal was not opened although its caller may use the lease: a state the page shows. */
export type Refusal = NotReady | 'full';

export type Admission =
  | { readonly admitted: true; readonly pass: TerminalPass }
  | { readonly admitted: false; readonly reason: Refusal; readonly message: string };

/**
 * Terminals in leases' containers: who may open one (the owner or an admin), when (the lease is
 * active and its container runs), how many at once (TERMINAL_MAX_PER_LEASE, over all instances),
 * and the single-use tickets that let scripts open the socket without putting a token in its URL.
 */
export class TerminalService {
  constructor(private readonly deps: TerminalServiceDeps) {}

  /** A ticket for the caller to open the lease's terminal socket with, once, within 60 s. */
  async ticket(actor: Actor, leaseId: string): Promise<Ticket> {
    const lease = await this.deps.leases.get(actor, leaseId);
    requireReady(lease);
    const ticket = await this.deps.tickets.issue({ leaseId: lease.id, owner: actor.owner }, TICKET_TTL_MS);
    return { ticket, expiresAt: this.deps.clock.now() + TICKET_TTL_MS };
  }

  /** The caller a ticket stands for, once. @throws unauthorized when unknown or used; forbidden for another lease */
  async redeem(ticket: string, leaseId: string): Promise<Actor> {
    const grant = await this.deps.tickets.redeem(ticket);
    if (!grant) {
      throw new UnauthorizedError(
        'This terminal ticket is not valid: a ticket opens one socket, within 60 seconds. Ask for another.',
      );
    }
    if (grant.leaseId !== leaseId) throw new ForbiddenError('This terminal ticket is for another lease.');
    return this.deps.leases.actor(grant.owner);
  }

  /**
   * Checks everything before a socket is accepted and takes the terminal's place.
   * @throws not_found, forbidden as LeaseService.get does
   */
  async admit(actor: Actor, leaseId: string): Promise<Admission> {
    const lease = await this.deps.leases.get(actor, leaseId);
    const state = readiness(lease);
    if (!state.ready) return { admitted: false, reason: state.state, message: state.message };
    const id = randomUUID();
    const { maxPerLease } = this.deps.policy;
    if (!(await this.deps.slots.take('terminal', lease.id, id, maxPerLease, SLOT_TTL_MS))) {
      return {
        admitted: false,
        reason: 'full',
        message: `Lease ${lease.id} has ${maxPerLease} terminals open already (TERMINAL_MAX_PER_LEASE); close one first.`,
      };
    }
    return { admitted: true, pass: new TerminalPass(this.deps, actor, lease, id) };
  }
}

/** An admitted terminal, its place taken, its shell not started yet. */
export class TerminalPass {
  constructor(
    private readonly deps: TerminalServiceDeps,
    private readonly actor: Actor,
    readonly lease: LeaseView,
    private readonly id: string,
  ) {}

  /**
   * Starts the login shell at `size`, and tells the activity once it has.
   * @throws conflict when the container stopped meanwhile
   */
  async open(size: TerminalSize): Promise<TerminalSession> {
    const { deps } = this;
    try {
      const process = await deps.exec.spawn(this.lease.containerId, {
        argv: LOGIN_SHELL,
        tty: size,
        env: TERMINAL_ENV,
      });
      const session = new TerminalSession({
        id: this.id,
        lease: activityLease(this.lease),
        actor: this.actor,
        process,
        leases: deps.leases,
        slots: deps.slots,
        activity: deps.activity,
        logger: deps.logger,
        now: () => deps.clock.now(),
        idleMs: deps.policy.idleMinutes * MINUTE_MS,
        slotTtlMs: SLOT_TTL_MS,
        stopSettleMs: deps.stopSettleMs ?? STOP_SETTLE_MS,
      });
      deps.activity.terminalOpened({
        sessionId: this.id,
        lease: activityLease(this.lease),
        actor: this.actor.owner,
      });
      return session;
    } catch (error) {
      // The place also expires by itself; the reason the shell did not start is what matters.
      await this.cancel().catch(() => {});
      throw error;
    }
  }

  /** Gives the place back without opening (the socket went away first). */
  async cancel(): Promise<void> {
    await this.deps.slots.release('terminal', this.lease.id, this.id);
  }
}
