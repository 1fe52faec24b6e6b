import type { Config } from '../core/config/config.js';
import type { AuditTrail } from '../core/ports/audit-trail.js';
import type { Clock } from '../core/ports/clock.js';
import type { ContainerExec } from '../core/ports/container-exec.js';
import type { Logger } from '../core/ports/logger.js';
import type { SessionSlots } from '../core/ports/session-slots.js';
import type { TerminalTickets } from '../core/ports/terminal-tickets.js';
import { AccessPolicy } from '../core/services/access-policy.js';
import { AdminService } from '../core/services/admin-service.js';
import { auditedActivity } from '../core/services/audited-activity.js';
import { composedActivity } from '../core/services/composed-activity.js';
import { ExecService } from '../core/services/exec-service.js';
import { LeaseService, type LeaseServiceDeps } from '../core/services/lease-service.js';
import { type LifecycleDeps, LifecycleService } from '../core/services/lifecycle-service.js';
import { loggedActivity } from '../core/services/logged-activity.js';
import { PortTargets, type PortTargetsDeps } from '../core/services/port-targets.js';
import { TerminalService } from '../core/services/terminal-service.js';

/** What the services take from the configuration: a `Config` has it all; tests give their own. */
export type ServiceSettings = Pick<Config, 'lease' | 'cleanup' | 'container' | 'admins'>;

/** What the lease service runs on besides its settings. */
export type LeaseServiceParts = Omit<
  LeaseServiceDeps,
  'access' | 'policy' | 'limits' | 'stopTimeoutSeconds' | 'visibilityTimeoutMs'
>;

/** What the cleanup pass runs on besides its settings. */
export type LifecycleParts = Omit<
  LifecycleDeps,
  'visibilityTimeoutMs' | 'concurrency' | 'stopTimeoutSeconds'
>;

/** The lease use cases, as every front-end calls them. */
export function createLeaseService(settings: ServiceSettings, parts: LeaseServiceParts): LeaseService {
  return new LeaseService({
    ...parts,
    access: new AccessPolicy(settings.admins),
    policy: settings.lease,
    limits: settings.container,
    stopTimeoutSeconds: settings.container.stopTimeoutSeconds,
    visibilityTimeoutMs: settings.cleanup.visibilityTimeoutMs,
  });
}

/** The cleanup pass, as the cleanup job runs it. */
export function createLifecycleService(settings: ServiceSettings, parts: LifecycleParts): LifecycleService {
  return new LifecycleService({
    ...parts,
    visibilityTimeoutMs: settings.cleanup.visibilityTimeoutMs,
    concurrency: settings.cleanup.concurrency,
    stopTimeoutSeconds: settings.container.stopTimeoutSeconds,
  });
}

/** What terminals and commands run on besides their settings. */
export interface ContainerSessionParts {
  readonly leases: LeaseService;
  readonly exec: ContainerExec;
  readonly slots: SessionSlots;
  readonly tickets: TerminalTickets;
  /** Where terminals opened and closed and commands run are recorded, besides the log. */
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * The ways into a lease's container: terminals (with their tickets) and single commands, on one exec
 * adapter, each logged and recorded in the audit trail.
 */
export function createContainerSessions(
  settings: Pick<Config, 'terminal'>,
  { leases, exec, slots, tickets, audit, clock, logger }: ContainerSessionParts,
): { readonly terminals: TerminalService; readonly exec: ExecService } {
  const activity = composedActivity(loggedActivity(logger), auditedActivity(audit, logger));
  return {
    terminals: new TerminalService({
      leases,
      exec,
      tickets,
      slots,
      activity,
      clock,
      logger,
      policy: settings.terminal,
    }),
    exec: new ExecService({ leases, exec, slots, activity, clock }),
  };
}

/** What the port proxy asks of a lease: its own container's address, for an owner who may open it. */
export function createPortTargets(
  settings: Pick<ServiceSettings, 'admins'>,
  parts: Omit<PortTargetsDeps, 'access'>,
): PortTargets {
  return new PortTargets({ ...parts, access: new AccessPolicy(settings.admins) });
}

/** The admins' use cases over the lease service and the audit trail. */
export function createAdminService(
  settings: ServiceSettings,
  parts: { readonly leases: LeaseService; readonly audit: AuditTrail; readonly clock: Clock },
): AdminService {
  return new AdminService({ ...parts, policy: settings.lease });
}
