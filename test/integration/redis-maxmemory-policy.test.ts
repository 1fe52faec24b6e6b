import { afterEach, expect, it } from 'vitest';
import { maxmemoryPolicy } from '../../src/core/adapters/redis/maxmemory-policy.js';
import { connectRedis } from '../../src/core/adapters/redis/redis-connection.js';
import { type PrivateRedis, startPrivateRedis } from '../support/private-redis.js';
import { describeWith } from '../support/services.js';

/** What /readyz reports of the server's eviction policy (it warns unless `noeviction`). */
describeWith({ redis: true })("Redis's maxmemory-policy, for the readiness check", () => {
  let server: PrivateRedis | undefined;

  afterEach(async () => {
    await server?.stop();
  });

  const policyOf = async (url: string) => {
    const redis = connectRedis(url, () => {});
    try {
      return await maxmemoryPolicy(redis);
    } finally {
      redis.disconnect();
    }
  };

  it('GIVEN a server that may evict keys THEN its policy is named', async () => {
    server = await startPrivateRedis('--maxmemory-policy', 'allkeys-lru');
    expect(await policyOf(server.url)).toBe('allkeys-lru');
  });

  it('GIVEN a server with CONFIG disabled (as managed services do) THEN the policy is unknown, not a failure', async () => {
    server = await startPrivateRedis('--rename-command', 'CONFIG', '');
    expect(await policyOf(server.url)).toBe('unknown');
  });

  it('GIVEN a server that is gone THEN the check fails', async () => {
    server = await startPrivateRedis();
    const { url } = server;
    await server.stop();
    await expect(policyOf(url)).rejects.toThrow();
  });
});
