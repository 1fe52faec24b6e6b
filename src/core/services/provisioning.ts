import type { LeasePolicy } from '../config/config.js';
import type { ImageCatalog } from '../config/image-catalog.js';
import { containerLabels } from '../domain/container-labels.js';
import { type Lease, MINUTE_MS, type NotifyTarget } from '../domain/lease.js';
import { claimedName } from '../domain/pooled-lease-name.js';
import { teamOf } from '../domain/team.js';
import { asCodedError, ConflictError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { ContainerLimits, ContainerRuntime, PullProgress } from '../ports/container-runtime.js';
import type { LeaseStore } from '../ports/lease-store.js';
import type { Logger } from '../ports/logger.js';
import { removeLeaseContainers } from './container-removal.js';
import { maxMinutesFor, requireImage, requireMinutes } from './lease-rules.js';
import type { WarmPool } from './warm-pool.js';

export interface ProvisionDeps {
  readonly store: LeaseStore;
  readonly runtime: ContainerRuntime;
  readonly clock: Clock;
  readonly catalog: ImageCatalog;
  readonly policy: LeasePolicy;
  readonly limits: ContainerLimits;
  /** This installation's id, the `instance` label. */
  readonly instanceId: string;
  readonly logger: Logger;
  /** The warm pools of POOL; without, every container is made on demand. */
  readonly pool?: WarmPool;
}

export interface ProvisionRequest {
  readonly imageType: string;
  readonly minutes?: number;
  readonly notify: NotifyTarget;
}

/**
 * Provisions in the order that cannot leak: the lease is written first (already due for cleanup at
 * the provision timeout), then the image is made local, the container created with its labels and
 * started, and only then is the lease `active` with its real expiry. A failure at any step removes
 * what was made; a crash leaves a lease the cleanup job finishes. With a warm pool for the image
 * type, the lease is written and a ready member claimed in one step; the member is renamed to
 * carry its lease and the lease activated, and only an empty pool makes a container on demand.
 */
export async function provisionInOrder(
  deps: ProvisionDeps,
  owner: string,
  request: ProvisionRequest,
  id: string,
  onProgress?: (progress: PullProgress) => void,
): Promise<Lease> {
  const { store, runtime, clock, policy } = deps;
  const image = requireImage(deps.catalog, request.imageType);
  const minutes = requireMinutes(request.minutes, maxMinutesFor(image, policy), policy.defaultMinutes);
  const createdAt = clock.now();
  const hardCapAt = createdAt + policy.maxTotalMinutes * MINUTE_MS;
  const lease = {
    id,
    owner,
    notify: request.notify,
    team: teamOf(request.notify),
    imageType: image.name,
    image: image.image,
    createdAt,
    hardCapAt,
  };
  const newLease = { ...lease, expiresAt: createdAt + minutes * MINUTE_MS };
  const limits = {
    maxPerUser: policy.maxPerUser,
    maxActive: policy.maxActive,
    maxPerTeam: policy.teamQuotas.get(lease.team) ?? 0,
    provisionTimeoutMs: policy.provisionTimeoutMs,
  };
  const pool = deps.pool?.keeps(image.name) ? deps.pool : undefined;
  const pooled = pool ? await pool.store.claim(newLease, limits) : '';
  if (pool) pool.claimed(image.name, pooled !== '');
  else await store.create(newLease, limits);
  let containerId = pooled;
  let containerMayExist = pooled !== '';
  try {
    if (pooled) {
      // The lease's clock starts at the claim; the member takes the name that carries its lease.
      const expiresAt = Math.min(clock.now() + minutes * MINUTE_MS, hardCapAt);
      await runtime.rename(pooled, claimedName({ ...lease, leaseId: id, expiresAt }));
      return await store.activate(id, pooled, expiresAt);
    }
    await runtime.ensureImage(image.image, onProgress);
    // Counted from when the container starts, so a slow pull does not eat into the lease.
    const expiresAt = Math.min(clock.now() + minutes * MINUTE_MS, hardCapAt);
    containerMayExist = true;
    containerId = await runtime.create({
      name: `lease-${id}`,
      image: image.image,
      cmd: image.cmd,
      labels: containerLabels({ ...lease, leaseId: id, expiresAt }, deps.instanceId),
      limits: deps.limits,
      capAdd: image.capAdd,
    });
    await runtime.start(containerId);
    return await store.activate(id, containerId, expiresAt);
  } catch (error) {
    await undoProvision(deps, lease, containerMayExist ? containerId : undefined, error);
    const coded = asCodedError(error);
    if (coded.code === 'not_found')
      throw new ConflictError(`Lease ${id} was stopped while it was being provisioned.`);
    throw coded;
  }
}

/**
 * Removes what a failed provision created (`containerId` undefined: no container was asked for).
 * When a container may exist but cannot be removed now, the lease is kept, due at its provision
 * timeout, so the cleanup job removes the container once the engine is back.
 */
async function undoProvision(
  deps: ProvisionDeps,
  { id, owner }: Pick<Lease, 'id' | 'owner'>,
  containerId: string | undefined,
  cause: unknown,
): Promise<void> {
  const log = { leaseId: id, containerId, action: 'provision', error: describe(cause) };
  try {
    if (containerId !== undefined)
      await removeLeaseContainers(deps.runtime, deps.instanceId, { id, containerId }, 0);
    await deps.store.delete(id, { action: 'provision-failed', actor: owner });
    deps.logger.warn({ ...log, status: 'undone' }, 'provision failed');
  } catch (undoError) {
    deps.logger.error(
      { ...log, status: 'undo_failed', undoError: describe(undoError) },
      'provision failed and could not be undone now; the cleanup job will finish it',
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
