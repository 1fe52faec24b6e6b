import { setTimeout as sleep } from 'node:timers/promises';
import { RedisKeys } from '../../src/core/adapters/redis/keys.js';
import { RedisLeaseStore } from '../../src/core/adapters/redis/redis-lease-store.js';
import type { Notice } from '../../src/core/domain/notice.js';
import { leaseStoreContract } from '../contract/lease-store.contract.js';
import { describeWith, flushPrefix, testRedis, uniquePrefix } from '../support/services.js';

describeWith({ redis: true })('RedisLeaseStore keeps the LeaseStore contract on real Redis', () => {
  leaseStoreContract(async (warnBeforeMs) => {
    const redis = testRedis();
    const prefix = uniquePrefix();
    const keys = new RedisKeys(prefix);
    return {
      store: new RedisLeaseStore(redis, keys, { warnBeforeMs }),
      advance: (ms) => sleep(ms),
      notices: async () =>
        (await redis.xrange(keys.notifications(), '-', '+')).map(
          ([, fields]) => JSON.parse(fields[1] ?? '{}') as Notice,
        ),
      close: async () => {
        await flushPrefix(redis, prefix);
        redis.disconnect();
      },
    };
  });
});
