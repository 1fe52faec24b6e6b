import type { ImageType } from '../config/image-catalog.js';
import { instanceFilter } from '../domain/container-labels.js';
import type { ContainerState, Lease, LeaseView } from '../domain/lease.js';
import { MINUTE_MS } from '../domain/lease.js';
import { newLeaseId } from '../domain/lease-id.js';
import { asCodedError, ConflictError, ForbiddenError, LimitExceededError, NotFoundError } from '../errors.js';
import type { PullProgress, RuntimeState } from '../ports/container-runtime.js';
import type { FinalLogs } from '../ports/final-logs.js';
import type { LinkIssuer, PortLink } from '../ports/links.js';
import { type Metrics, noMetrics } from '../ports/metrics.js';
import type { AccessPolicy, Actor } from './access-policy.js';
import { endOfCleaning } from './lease-end.js';
import { maxMinutesFor, requireLeaseId, requireMinutes, requirePort } from './lease-rules.js';
import { type ProvisionDeps, type ProvisionRequest, provisionInOrder } from './provisioning.js';
import { retireLease } from './retire-lease.js';

export interface LeaseServiceDeps extends ProvisionDeps {
  readonly access: AccessPolicy;
  readonly links: LinkIssuer;
  /** Where the last lines of a stopped lease are kept for its log page. */
  readonly finalLogs: FinalLogs;
  readonly stopTimeoutSeconds: number;
  /** How long a stop holds its lease before the cleanup job may finish it. */
  readonly visibilityTimeoutMs: number;
  readonly newId?: () => string;
  readonly metrics?: Metrics;
}

export type { ProvisionRequest };

/** Where a lease's logs are: live while it runs, its final logs for a day after it ended. */
export interface LeaseLogs {
  readonly id: string;
  readonly imageType: string;
  readonly logsUrl: string;
  readonly ended: boolean;
}

/** A signed link to one port of a lease on the port proxy. */
export interface LeasePortLink extends PortLink {
  readonly leaseId: string;
  readonly port: number;
}

export interface ImageOffer extends ImageType {
  /** Longest lease or extension for this image, after the global limit. */
  readonly maxLeaseMinutes: number;
}

const RUNTIME_STATES: Record<RuntimeState, ContainerState> = {
  created: 'stopped',
  running: 'running',
  paused: 'stopped',
  restarting: 'running',
  exited: 'stopped',
  dead: 'stopped',
  removing: 'gone',
};

/**
 * The lease use cases every front-end calls: provision, list, get, stop, extend, images.
 * Validates input and authorizes the actor; provisioning itself follows provisioning.ts.
 */
export class LeaseService {
  private readonly newId: () => string;

  constructor(private readonly deps: LeaseServiceDeps) {
    this.newId = deps.newId ?? newLeaseId;
  }

  /** The caller identity for an owner, with admin rights from ADMINS. */
  actor(owner: string): Actor {
    return this.deps.access.actor(owner);
  }

  images(): ImageOffer[] {
    return this.deps.catalog
      .list()
      .map((image) => ({ ...image, maxLeaseMinutes: maxMinutesFor(image, this.deps.policy) }));
  }

  async provision(
    actor: Actor,
    request: ProvisionRequest,
    onProgress?: (progress: PullProgress) => void,
  ): Promise<LeaseView> {
    const started = performance.now();
    const metrics = this.deps.metrics ?? noMetrics;
    try {
      const lease = await provisionInOrder(this.deps, actor.owner, request, this.newId(), onProgress);
      metrics.provisioned((performance.now() - started) / 1000, 'ok');
      return this.view(lease, 'running');
    } catch (error) {
      metrics.provisioned((performance.now() - started) / 1000, asCodedError(error).code);
      throw error;
    }
  }

  async list(actor: Actor, options: { all?: boolean } = {}): Promise<LeaseView[]> {
    if (options.all && !actor.isAdmin) throw new ForbiddenError('Only admins can list every lease.');
    const leases = options.all
      ? await this.deps.store.listAll()
      : await this.deps.store.listByOwner(actor.owner);
    if (leases.length === 0) return [];
    const containers = await this.deps.runtime.list(instanceFilter(this.deps.instanceId));
    const states = new Map(containers.map((container) => [container.id, RUNTIME_STATES[container.state]]));
    return leases.map((lease) => this.view(lease, stateOf(lease, states.get(lease.containerId))));
  }

  async get(actor: Actor, id: string): Promise<LeaseView> {
    const lease = await this.requireLease(actor, id);
    if (!lease.containerId) return this.view(lease, 'pending');
    const container = await this.deps.runtime.inspect(lease.containerId);
    return this.view(lease, container ? RUNTIME_STATES[container.state] : 'gone');
  }

  /**
   * The logs link of a lease: while it exists, and, once it ended, for as long as its final logs are
   * kept. The owner asks for it where nobody else reads (a notice in a shared channel has none).
   */
  async logs(actor: Actor, id: string): Promise<LeaseLogs> {
    try {
      const lease = await this.requireLease(actor, id);
      return {
        id: lease.id,
        imageType: lease.imageType,
        logsUrl: this.deps.links.logsUrl(lease),
        ended: false,
      };
    } catch (error) {
      if (asCodedError(error).code !== 'not_found') throw error;
      const ended = await this.deps.finalLogs.lease(requireLeaseId(id));
      if (!ended) throw error;
      this.deps.access.assertCanManage(actor, ended);
      return {
        id: ended.id,
        imageType: ended.imageType,
        logsUrl: this.deps.links.logsUrl(ended),
        ended: true,
      };
    }
  }

  /**
   * The link to one port of a running lease, through the port proxy: for the owner (or an admin),
   * who asks for it where nobody else reads, since it opens whatever the app there serves.
   */
  async portLink(actor: Actor, id: string, port: number): Promise<LeasePortLink> {
    const wanted = requirePort(port);
    const lease = await this.requireLease(actor, id);
    if (lease.status !== 'active') {
      throw new ConflictError(
        `Lease ${lease.id} is ${lease.status === 'cleaning' ? 'being removed' : 'still provisioning'}; its ports open while it runs.`,
      );
    }
    return { leaseId: lease.id, port: wanted, ...this.deps.links.portLink(lease, wanted) };
  }

  /**
   * Stops and removes the lease's container, then forgets the lease. Stopping a lease already on its
   * way out succeeds. When an admin stops someone else's lease, its owner is told who and why.
   */
  async stop(actor: Actor, id: string, reason?: string): Promise<void> {
    const lease = await this.requireLease(actor, id);
    let taken: Lease;
    try {
      const stop = reason ? { by: actor.owner, reason } : { by: actor.owner };
      taken = await this.deps.store.beginStop(lease.id, this.deps.visibilityTimeoutMs, stop);
    } catch (error) {
      if (asCodedError(error).code === 'conflict') return;
      throw error;
    }
    await retireLease(this.deps, taken, endOfCleaning(taken, this.deps.clock.now()));
    this.deps.logger.info(
      { leaseId: taken.id, containerId: taken.containerId, action: 'stop', by: actor.owner },
      'lease stopped',
    );
  }

  async extend(actor: Actor, id: string, minutes: number): Promise<LeaseView> {
    const lease = await this.requireLease(actor, id);
    const image = this.deps.catalog.get(lease.imageType);
    const max = image ? maxMinutesFor(image, this.deps.policy) : this.deps.policy.maxMinutes;
    const wanted = requireMinutes(minutes, max, max);
    if (lease.status !== 'active') {
      throw new ConflictError(
        `Lease ${lease.id} is ${lease.status === 'cleaning' ? 'being removed' : 'still provisioning'}; it cannot be extended now.`,
      );
    }
    const room = Math.floor((lease.hardCapAt - Math.max(lease.expiresAt, this.deps.clock.now())) / MINUTE_MS);
    if (wanted > room) {
      throw new LimitExceededError(
        `Lease ${lease.id} can be extended by at most ${Math.max(room, 0)} more minutes: a lease ends at most ${this.deps.policy.maxTotalMinutes} minutes after it started.`,
        { details: { max: Math.max(room, 0) } },
      );
    }
    const extended = await this.deps.store.extend(lease.id, wanted * MINUTE_MS, actor.owner);
    return this.view(extended, 'running');
  }

  private async requireLease(actor: Actor, id: string): Promise<Lease> {
    const leaseId = requireLeaseId(id);
    const lease = await this.deps.store.get(leaseId);
    if (!lease) throw new NotFoundError(`There is no lease ${leaseId}; see /lease list.`);
    this.deps.access.assertCanManage(actor, lease);
    return lease;
  }

  private view(lease: Lease, containerState: ContainerState): LeaseView {
    const { links } = this.deps;
    return { ...lease, containerState, logsUrl: links.logsUrl(lease), terminalUrl: links.terminalUrl(lease) };
  }
}

function stateOf(lease: Lease, state: ContainerState | undefined): ContainerState {
  if (!lease.containerId) return 'pending';
  return state ?? 'gone';
}
