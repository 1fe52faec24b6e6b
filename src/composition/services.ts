import type { Config } from '../core/config/config.js';
import type { ImageCatalog } from '../core/config/image-catalog.js';
import type { Clock } from '../core/ports/clock.js';
import type { ContainerRuntime } from '../core/ports/container-runtime.js';
import type { FinalLogs } from '../core/ports/final-logs.js';
import type { LeaseStore } from '../core/ports/lease-store.js';
import type { LinkIssuer } from '../core/ports/links.js';
import type { Logger } from '../core/ports/logger.js';
import type { Metrics } from '../core/ports/metrics.js';
import { AccessPolicy } from '../core/services/access-policy.js';
import { LeaseService } from '../core/services/lease-service.js';
import { LifecycleService } from '../core/services/lifecycle-service.js';
import type { RetryOptions } from '../core/services/retry.js';

/** What the services take from the configuration: a `Config` has it all; tests give their own. */
export type ServiceSettings = Pick<Config, 'lease' | 'cleanup' | 'container' | 'admins'>;

/** What every service runs on besides its settings. */
interface ServiceParts {
  readonly store: LeaseStore;
  readonly runtime: ContainerRuntime;
  readonly finalLogs: FinalLogs;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  /** This installation's id, the `instance` label. */
  readonly instanceId: string;
}

export interface LeaseServiceParts extends ServiceParts {
  readonly catalog: ImageCatalog;
  readonly links: LinkIssuer;
  readonly newId?: () => string;
}

export interface LifecycleParts extends ServiceParts {
  readonly retry?: RetryOptions;
}

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
