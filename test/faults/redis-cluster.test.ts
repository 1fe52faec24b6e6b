import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe } from 'vitest';
import { openAdapters } from '../../src/composition/adapters.js';
import { leaseStoreContract } from '../contract/lease-store.contract.js';
import { DOCKER_HOST, flushPrefix, queuedNotices, uniquePrefix } from '../support/services.js';
import { RedisCluster } from './redis-topology.js';

// Every multi-key script must find its keys on one slot: the store contract, whole, on a Cluster
// of three primaries with a replica each, started here from Debian's redis-server.
describe('RedisLeaseStore keeps the LeaseStore contract on a Redis Cluster', () => {
  const cluster = new RedisCluster();

  beforeAll(() => cluster.start(), 120_000);
  afterAll(() => cluster.stop());

  leaseStoreContract(async (warnBeforeMs) => {
    const prefix = uniquePrefix();
    const adapters = openAdapters({
      redisUrl: '',
      clusterNodes: cluster.startupNodes,
      redisPrefix: prefix,
      dockerHost: DOCKER_HOST,
      warnBeforeMs,
    });
    return {
      store: adapters.store,
      advance: (ms) => sleep(ms),
      notices: () => queuedNotices(adapters),
      close: async () => {
        await flushPrefix(adapters.redis, prefix);
        await adapters.close();
      },
    };
  });
});
