import { startEmbeddedRedis } from '../core/adapters/redis/embedded-redis.js';
import type { Config } from '../core/config/config.js';
import type { Logger } from '../core/ports/logger.js';

export interface RedisServer {
  /** REDIS_URL, or the embedded server's socket. */
  readonly url: string;
  /** Stops the embedded server this process started; nothing for REDIS_URL or a server it reused. */
  stop(): Promise<void>;
}

/** The Redis the configuration names, or (REDIS_URL unset) the embedded one of DATA_DIR, started if need be. */
export async function redisServer(config: Config, logger: Logger): Promise<RedisServer> {
  if (config.redis.url) return { url: config.redis.url, stop: async () => {} };
  return startEmbeddedRedis(config.dataDir, logger);
}
