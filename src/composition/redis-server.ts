import { startEmbeddedRedis } from '../core/adapters/redis/embedded-redis.js';
import type { Config } from '../core/config/config.js';
import type { Logger } from '../core/ports/logger.js';

export interface RedisServer {
  /** REDIS_URL, or the embedded server's socket. */
  readonly url: string;
  /** Stops the embedded server this process started; nothing for REDIS_URL or a server it reused. */
  stop(): Promise<void>;
}

/**
 * The Redis the configuration names, or (REDIS_URL, REDIS_SENTINELS and REDIS_CLUSTER_NODES unset)
 * the embedded one of DATA_DIR, started if need be. With Sentinels or a Cluster the URL is empty:
 * the adapters find Redis through them (see adapterSettings).
 */
export async function redisServer(config: Config, logger: Logger): Promise<RedisServer> {
  if (config.redis.sentinel || config.redis.clusterNodes) return { url: '', stop: async () => {} };
  if (config.redis.url) return { url: config.redis.url, stop: async () => {} };
  return startEmbeddedRedis(config.dataDir, logger);
}
