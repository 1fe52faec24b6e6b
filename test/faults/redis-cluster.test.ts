import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAdapters } from '../../src/composition/adapters.js';
import { leaseStoreContract, redisStoreUnderTest } from '../contract/lease-store.contract.js';
import { DOCKER_HOST, uniquePrefix } from '../support/services.js';
import {
  expectAllRemoved,
  expectEndedAtExpiryAndToldOnce,
  makeScenario,
  stopsHaveBegun,
} from './fault-kit.js';
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
    return redisStoreUnderTest(adapters, prefix);
  });
});

describe("fault: the Cluster primary of the leases' slot fails over to its replica", () => {
  const cluster = new RedisCluster();

  beforeAll(() => cluster.start(), 120_000);
  afterAll(() => cluster.stop());

  it('GIVEN the product on a Cluster and a failover in the middle of a cleanup run THEN nothing leaks, nothing ends early, every owner is told once', async () => {
    const scenario = makeScenario('', { clusterNodes: cluster.startupNodes });
    const app = scenario.startApp();
    try {
      await app.waitFor(/Dashboard for/);
      const since = Date.now();
      const leases = await Promise.all(
        [8_000, 8_000, 8_500, 8_500].map((inMs) => scenario.provision(inMs, 'stubborn')),
      );
      await stopsHaveBegun(scenario, since);
      const { from, to } = await cluster.failover(scenario.keys.expiry());
      expect(to).not.toBe(from);
      await expectAllRemoved(scenario);
      await expectEndedAtExpiryAndToldOnce(scenario, app, leases, since);
    } finally {
      await scenario.close([app]);
    }
  });
});
