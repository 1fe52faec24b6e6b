import type { Config } from '../core/config/config.js';
import type { AuditTrail } from '../core/ports/audit-trail.js';
import type { Clock } from '../core/ports/clock.js';
import { AccessPolicy } from '../core/services/access-policy.js';
import { AdminService } from '../core/services/admin-service.js';
import { LeaseService, type LeaseServiceDeps } from '../core/services/lease-service.js';
import { type LifecycleDeps, LifecycleService } from '../core/services/lifecycle-service.js';

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

/** The admins' use cases over the lease service and the audit trail. */
export function createAdminService(
  settings: ServiceSettings,
  parts: { readonly leases: LeaseService; readonly audit: AuditTrail; readonly clock: Clock },
): AdminService {
  return new AdminService({ ...parts, policy: settings.lease });
}
