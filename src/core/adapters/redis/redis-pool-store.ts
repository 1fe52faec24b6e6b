import { DEFAULT_AUDIT_RETENTION_MS } from '../../domain/audit.js';
import type { CreateLimits, NewLease } from '../../ports/lease-store.js';
import type { PoolMember, PoolStore } from '../../ports/pool-store.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './redis-connection.js';
import { storeCall } from './redis-connection.js';
import { createLeaseCall } from './redis-lease-store.js';
import { pairsOf } from './reply-pairs.js';
import { scriptError } from './script-errors.js';

/** The warm pools on Redis: a sorted set per image type, and the claim as one Lua script (claimPooled). */
export class RedisPoolStore implements PoolStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    /** As the lease store's: createLease writes the claim's audit entry. */
    private readonly auditRetentionMs = DEFAULT_AUDIT_RETENTION_MS,
  ) {}

  claim(lease: NewLease, limits: CreateLimits): Promise<string> {
    return this.call(async () => {
      const create = createLeaseCall(this.keys, lease, limits, this.auditRetentionMs);
      const reply = await this.redis.claimPooled(
        this.keys.pool(lease.imageType),
        this.keys.poolClaimed(),
        ...create.keys,
        ...create.args,
      );
      if (typeof reply === 'number') throw scriptError(reply, { id: lease.id, limits, team: lease.team });
      return reply;
    });
  }

  add(imageType: string, member: PoolMember): Promise<void> {
    return this.call(async () => {
      await this.redis.zadd(this.keys.pool(imageType), member.claimableUntil, member.containerId);
    });
  }

  members(imageType: string): Promise<PoolMember[]> {
    return this.call(async () => {
      const flat = await this.redis.zrange(this.keys.pool(imageType), '0', '-1', 'WITHSCORES');
      return pairsOf(flat).map(([containerId, score]) => ({ containerId, claimableUntil: Number(score) }));
    });
  }

  take(imageType: string, containerId: string): Promise<boolean> {
    return this.call(async () => (await this.redis.zrem(this.keys.pool(imageType), containerId)) === 1);
  }

  claimed(): Promise<ReadonlySet<string>> {
    return this.call(async () => new Set(await this.redis.hkeys(this.keys.poolClaimed())));
  }

  forgetClaimed(containerIds: readonly string[]): Promise<void> {
    return this.call(async () => {
      if (containerIds.length > 0) await this.redis.hdel(this.keys.poolClaimed(), ...containerIds);
    });
  }

  private call<T>(operation: () => Promise<T>): Promise<T> {
    return storeCall(this.redis, operation);
  }
}
