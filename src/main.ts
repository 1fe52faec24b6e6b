import pino from 'pino';
import { connectDocker } from './core/adapters/docker/docker-connection.js';
import { DockerRuntime } from './core/adapters/docker/docker-runtime.js';
import { RedisKeys } from './core/adapters/redis/keys.js';
import { connectRedis } from './core/adapters/redis/redis-connection.js';
import { RedisLeaseStore } from './core/adapters/redis/redis-lease-store.js';
import { type Config, loadConfig } from './core/config/config.js';
import { resolveInstanceId } from './core/config/data-dir.js';
import { asCodedError } from './core/errors.js';

/** The composition root: reads config, wires adapters, starts what is configured. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, base: { app: 'containerlease' } });
  const instanceId = resolveInstanceId(config.instanceId, config.dataDir);
  const redisUrl = requireRedisUrl(config);
  const redis = connectRedis(redisUrl, (error) =>
    logger.warn({ error: error.message }, 'redis connection problem'),
  );
  const store = new RedisLeaseStore(redis, new RedisKeys(config.redis.prefix), {
    warnBeforeMs: config.lease.warnMinutes * 60_000,
  });
  const { docker, where } = connectDocker(config.docker.host);
  const runtime = new DockerRuntime(docker, where);
  await Promise.all([store.serverTime(), runtime.ping()]);
  logger.info({ instanceId, redis: redisUrl, docker: where }, 'ContainerLease core is ready');
  const stop = () => {
    redis.disconnect();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function requireRedisUrl(config: Config): string {
  if (config.redis.url) return config.redis.url;
  throw asCodedError({ code: 'config', message: 'REDIS_URL must be set (e.g. redis://127.0.0.1:6379)' });
}

main().catch((error: unknown) => {
  const coded = asCodedError(error);
  console.error(
    `containerlease: ${coded.code === 'internal' && error instanceof Error ? error.message : coded.message}`,
  );
  process.exit(coded.code === 'config' ? 2 : 1);
});
