import type { ImageCatalog, ImageType } from '../config/image-catalog.js';
import { LABELS } from '../domain/container-labels.js';
import { newLeaseId } from '../domain/lease-id.js';
import { isIdlePoolMember, poolLabels } from '../domain/pooled-lease-name.js';
import type { Clock } from '../ports/clock.js';
import type { ContainerLimits, ContainerRuntime, ContainerSummary } from '../ports/container-runtime.js';
import type { Lock } from '../ports/lock.js';
import type { Logger } from '../ports/logger.js';
import { noPoolMetrics, type PoolMetrics } from '../ports/metrics.js';
import type { PoolMember, PoolStore } from '../ports/pool-store.js';
import { stopAndRemove } from './container-removal.js';
import type { WarmPool } from './warm-pool.js';

export interface PoolKeeperDeps {
  readonly pool: PoolStore;
  readonly runtime: ContainerRuntime;
  readonly catalog: ImageCatalog;
  /** Idle members wanted per image type (POOL). */
  readonly sizes: ReadonlyMap<string, number>;
  /** POOL_MAX_IDLE_MINUTES: a member idle this long is replaced; its hard-cap label says when. */
  readonly maxIdleMs: number;
  readonly limits: ContainerLimits;
  readonly instanceId: string;
  readonly stopTimeoutSeconds: number;
  readonly lock: Lock;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics?: PoolMetrics;
}

/** No claim takes a member this close to its idle cap, so it is never claimed while being removed. */
export const CLAIM_MARGIN_MS = 2 * 60_000;
/** A pass holds the pool lock at most this long (a pull of a big image included). */
const LOCK_TTL_MS = 10 * 60_000;
/** Containers this new may be a member another keeper is adding right now. */
const RACE_GUARD_MS = 1_000;
/** After a failed refill the pool waits this long, doubling per failure up to the maximum. */
const BACKOFF = { firstMs: 5_000, maxMs: 5 * 60_000 } as const;

interface Failing {
  readonly failures: number;
  readonly nextTryAt: number;
  readonly error: string;
}

/**
 * Keeps a pool of ready, hardened, running containers per image type of POOL. One pass (under the
 * Redis lock `pool`, one instance at a time): forget members whose container is gone, remove
 * containers labelled as members that no record knows (Redis lost them: never handed out, since a
 * claim may have taken one), replace members near their idle cap or made from an image that has
 * changed, drain image types POOL no longer names, and make what is missing. A failed refill backs
 * off exponentially and is reported by `problems()` (`/readyz`). A claim triggers a pass.
 */
export class PoolKeeper implements WarmPool {
  private readonly failing = new Map<string, Failing>();
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: PoolKeeperDeps) {}

  get store(): PoolStore {
    return this.deps.pool;
  }

  keeps(imageType: string): boolean {
    return (this.deps.sizes.get(imageType) ?? 0) > 0;
  }

  claimed(imageType: string, hit: boolean): void {
    (this.deps.metrics ?? noPoolMetrics).poolClaimed(imageType, hit);
    this.refillSoon();
  }

  /** Passes now and then every `intervalMs`, until stopped. */
  start(intervalMs: number): void {
    this.refillSoon();
    this.timer = setInterval(() => this.refillSoon(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.again = false;
    await this.running;
  }

  /** A pass in the background; asked for during one, another follows it. */
  refillSoon(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.keep()
      .catch((error: unknown) =>
        this.deps.logger.error(
          { action: 'pool', error: describe(error) },
          'pool pass failed; the next one retries',
        ),
      )
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.refillSoon();
        }
      });
  }

  /** Idle members per image type, as the store holds them. */
  async idleCounts(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const type of this.deps.sizes.keys()) counts.set(type, (await this.deps.pool.members(type)).length);
    return counts;
  }

  /** Pools whose last refill failed, one sentence each. */
  problems(): string[] {
    return [...this.failing].map(
      ([type, failing]) =>
        `The warm pool of ${type} cannot fill: ${failing.error} (${failing.failures} failed attempts in a row; retrying).`,
    );
  }

  /** One pass, under the pool lock; skipped while another instance holds it. */
  async keep(): Promise<void> {
    const { lock } = this.deps;
    const token = await lock.acquire('pool', LOCK_TTL_MS);
    if (token === null) return;
    try {
      const passStartedAt = this.deps.clock.now();
      const containers = await this.deps.runtime.list([
        `${LABELS.instance}=${this.deps.instanceId}`,
        LABELS.pool,
      ]);
      const present = new Set(containers.map((container) => container.id));
      const types = new Set([
        ...this.deps.sizes.keys(),
        ...containers.map((c) => c.labels[LABELS.pool] ?? ''),
      ]);
      for (const type of types) {
        const idle = containers.filter(
          (container) => container.labels[LABELS.pool] === type && isIdlePoolMember(container),
        );
        await this.keepType(type, idle, passStartedAt);
      }
      const claimed = await this.deps.pool.claimed();
      await this.deps.pool.forgetClaimed([...claimed].filter((id) => !present.has(id)));
    } finally {
      await lock.release('pool', token);
    }
  }

  private async keepType(
    type: string,
    idle: readonly ContainerSummary[],
    passStartedAt: number,
  ): Promise<void> {
    const { pool } = this.deps;
    const wanted = this.deps.sizes.get(type) ?? 0;
    const image = wanted > 0 ? this.deps.catalog.get(type) : undefined;
    // Members first, then the claimed: a claim in between shows in one or the other.
    const members = await pool.members(type);
    const claimed = await pool.claimed();
    const known = new Set(members.map((member) => member.containerId));
    for (const container of idle) {
      if (known.has(container.id) || claimed.has(container.id)) continue;
      if (container.createdAt > passStartedAt - RACE_GUARD_MS) continue;
      await this.remove(container.id, type, 'unknown to Redis');
    }
    const present = new Map(idle.map((container) => [container.id, container]));
    const imageId = image ? await this.imageIdOrNull(type, image) : null;
    const kept: PoolMember[] = [];
    for (const member of members) {
      const container = present.get(member.containerId);
      const why = !container
        ? 'gone'
        : member.claimableUntil <= this.deps.clock.now()
          ? 'idle too long'
          : imageId !== null && container.labels[LABELS.poolImageId] !== imageId
            ? 'image changed'
            : kept.length >= wanted
              ? 'not wanted'
              : undefined;
      if (why === undefined) kept.push(member);
      else if (await pool.take(type, member.containerId)) {
        if (container) await this.remove(member.containerId, type, why);
      }
    }
    if (!image || imageId === null) return;
    for (let missing = wanted - kept.length; missing > 0; missing -= 1) {
      if (!(await this.addMember(type, image, imageId))) return;
    }
  }

  /** The image's id, pulling it if needed; null (a failure recorded) when it cannot be had. */
  private async imageIdOrNull(type: string, image: ImageType): Promise<string | null> {
    if (this.backingOff(type)) return null;
    try {
      const local = await this.deps.runtime.imageId(image.image);
      if (local !== null) return local;
      await this.deps.runtime.ensureImage(image.image);
      const pulled = await this.deps.runtime.imageId(image.image);
      if (pulled === null) throw new Error(`the image ${image.image} did not arrive`);
      return pulled;
    } catch (error) {
      this.failed(type, error);
      return null;
    }
  }

  /** Makes one member; false (a failure recorded, the pool backing off) when it could not. */
  private async addMember(type: string, image: ImageType, imageId: string): Promise<boolean> {
    const createdAt = this.deps.clock.now();
    const idleCapAt = createdAt + this.deps.maxIdleMs;
    let id: string | undefined;
    try {
      id = await this.deps.runtime.create({
        name: `pool-${type}-${newLeaseId()}`,
        image: image.image,
        cmd: image.cmd,
        labels: poolLabels({ imageType: type, imageId, createdAt, idleCapAt }, this.deps.instanceId),
        limits: this.deps.limits,
        capAdd: image.capAdd,
      });
      await this.deps.runtime.start(id);
      await this.deps.pool.add(type, { containerId: id, claimableUntil: idleCapAt - CLAIM_MARGIN_MS });
      this.failing.delete(type);
      return true;
    } catch (error) {
      if (id !== undefined) await this.remove(id, type, 'not made').catch(() => {});
      this.failed(type, error);
      return false;
    }
  }

  private backingOff(type: string): boolean {
    const failing = this.failing.get(type);
    return failing !== undefined && this.deps.clock.now() < failing.nextTryAt;
  }

  private failed(type: string, error: unknown): void {
    const failures = (this.failing.get(type)?.failures ?? 0) + 1;
    const waitMs = Math.min(BACKOFF.firstMs * 2 ** (failures - 1), BACKOFF.maxMs);
    this.failing.set(type, { failures, nextTryAt: this.deps.clock.now() + waitMs, error: describe(error) });
    (this.deps.metrics ?? noPoolMetrics).poolRefillFailed(type);
    this.deps.logger.warn(
      {
        action: 'pool',
        imageType: type,
        status: 'failed',
        failures,
        retryInMs: waitMs,
        error: describe(error),
      },
      'pool member could not be made; backing off',
    );
  }

  private async remove(id: string, type: string, why: string): Promise<void> {
    await stopAndRemove(this.deps.runtime, id, 0);
    this.deps.logger.info(
      { action: 'pool', imageType: type, containerId: id, status: 'removed', why },
      'pool member removed',
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
