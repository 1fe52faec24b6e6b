import { hostname } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { CommandRunner } from './bots/command-runner.js';
import { type ConsoleFrontend, startConsole } from './bots/console/console-frontend.js';
import { consoleUser } from './bots/console/console-user.js';
import { logNotifier } from './bots/console/log-notifier.js';
import { createDiscordBot } from './bots/discord/discord-bot.js';
import { ReplyBuilder } from './bots/replies/reply-builder.js';
import { createSlackBot } from './bots/slack/slack-bot.js';
import { connectDocker } from './core/adapters/docker/docker-connection.js';
import { DockerRuntime } from './core/adapters/docker/docker-runtime.js';
import { startEmbeddedRedis } from './core/adapters/redis/embedded-redis.js';
import { RedisKeys } from './core/adapters/redis/keys.js';
import { connectRedis, describeRedis } from './core/adapters/redis/redis-connection.js';
import { RedisFinalLogs } from './core/adapters/redis/redis-final-logs.js';
import { RedisLeaseStore } from './core/adapters/redis/redis-lease-store.js';
import { RedisNoticeOutbox } from './core/adapters/redis/redis-notice-outbox.js';
import type { Config } from './core/config/config.js';
import { resolveInstanceId, resolveLinkSecret } from './core/config/data-dir.js';
import { loadImageCatalog } from './core/config/image-catalog.js';
import { MINUTE_MS } from './core/domain/lease.js';
import { LinkTokens } from './core/links/link-tokens.js';
import { SignedLinks } from './core/links/signed-links.js';
import { systemClock } from './core/ports/clock.js';
import type { Logger } from './core/ports/logger.js';
import type { Notifier } from './core/ports/notifier.js';
import { AccessPolicy } from './core/services/access-policy.js';
import { LeaseService } from './core/services/lease-service.js';
import { NoticeDispatcher } from './core/services/notice-dispatcher.js';
import { startCleanupScheduler } from './jobs/cleanup-scheduler.js';
import { PrometheusMetrics } from './web/metrics.js';
import { startWebServer, type WebServer } from './web/web-server.js';

export interface AppOptions {
  readonly logger: Logger;
  /** Attach the console front-end to these streams. */
  readonly console?: { readonly input: Readable; readonly output: Writable; readonly interactive: boolean };
  /** Where to print what a person starting the product must see (the dashboard link). */
  readonly announce: (line: string) => void;
}

export interface App {
  readonly web: WebServer;
  readonly instanceId: string;
  /** Settles when the console's input ends; never when there is no console. */
  readonly consoleClosed: Promise<void>;
  stop(): Promise<void>;
}

/**
 * The composition of the whole product from configuration: adapters, services, the outbox
 * dispatcher, the web server, the chat front-ends that are configured and the cleanup job.
 */
export async function startApp(config: Config, options: AppOptions): Promise<App> {
  const closers: Array<() => Promise<unknown> | unknown> = [];
  try {
    return await compose(config, options, closers);
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

/** Runs the closers last-started first; one failing does not keep the others from running. */
async function closeAll(closers: Array<() => Promise<unknown> | unknown>): Promise<void> {
  for (const close of closers.reverse()) {
    try {
      await close();
    } catch {}
  }
  closers.length = 0;
}

async function compose(
  config: Config,
  options: AppOptions,
  closers: Array<() => Promise<unknown> | unknown>,
): Promise<App> {
  const { logger } = options;
  const clock = systemClock;
  const now = () => clock.now();
  const instanceId = resolveInstanceId(config.instanceId, config.dataDir);
  // Read before anything starts, so a bad IMAGES_FILE is the one line the operator sees.
  const catalog = loadImageCatalog(config.imagesFile);
  const embedded = config.redis.url ? undefined : await startEmbeddedRedis(config.dataDir, logger);
  if (embedded) closers.push(() => embedded.stop());
  const redisUrl = config.redis.url ?? embedded?.url ?? '';
  const onRedisError = (error: Error) => logger.warn({ error: error.message }, 'redis connection problem');
  const redis = connectRedis(redisUrl, onRedisError);
  const blocking = connectRedis(redisUrl, onRedisError);
  closers.push(
    () => redis.quit().catch(() => redis.disconnect()),
    () => blocking.disconnect(),
  );
  const keys = new RedisKeys(config.redis.prefix);
  const store = new RedisLeaseStore(redis, keys, { warnBeforeMs: config.lease.warnMinutes * MINUTE_MS });
  const outbox = new RedisNoticeOutbox(redis, blocking, keys);
  const finalLogs = new RedisFinalLogs(redis, keys);
  const { docker, where } = connectDocker(config.docker.host);
  const runtime = new DockerRuntime(docker, where);
  await Promise.all([store.serverTime(), runtime.ping()]);

  const linkTokens = new LinkTokens(resolveLinkSecret(config.web.linkSecret, config.dataDir), now);
  let publicUrl = config.publicUrl ?? '';
  const links = new SignedLinks(linkTokens, () => publicUrl, now);
  const metrics = new PrometheusMetrics();
  const leases = new LeaseService({
    store,
    runtime,
    clock,
    catalog,
    access: new AccessPolicy(config.admins),
    links,
    finalLogs,
    logger,
    metrics,
    policy: config.lease,
    limits: config.container,
    stopTimeoutSeconds: config.container.stopTimeoutSeconds,
    visibilityTimeoutMs: config.cleanup.visibilityTimeoutMs,
    instanceId,
  });
  const replies = new ReplyBuilder({
    images: () => leases.images(),
    links,
    clock,
    defaultMaxMinutes: config.lease.maxMinutes,
  });
  const runner = new CommandRunner(leases, replies, logger);

  const user = consoleUser();
  const frontend: ConsoleFrontend | undefined = options.console
    ? startConsole({ ...options.console, runner, replies, clock, user })
    : undefined;
  if (frontend) closers.push(() => frontend.close());
  const slack = config.slack ? createSlackBot({ config: config.slack, runner, replies, logger }) : undefined;
  const discord = config.discord
    ? createDiscordBot({
        config: config.discord,
        runner,
        replies,
        leases,
        maxMinutes: config.lease.maxMinutes,
        logger,
      })
    : undefined;
  const notifiers: Notifier[] = [frontend?.notifier ?? logNotifier(replies, logger, now)];
  if (slack) notifiers.push(slack.notifier);
  if (discord) notifiers.push(discord.notifier);
  const dispatcher = new NoticeDispatcher(outbox, notifiers, logger, {
    consumer: `${hostname()}-${process.pid}`,
  });

  const web = await startWebServer({
    port: config.port,
    publicUrl: config.publicUrl,
    leases,
    linkTokens,
    apiTokens: config.web.apiTokens,
    runtime,
    finalLogs,
    metrics,
    readiness: {
      redis: async () => ({ maxmemoryPolicy: await maxmemoryPolicy(redis) }),
      docker: () => runtime.ping(),
    },
    gauges: { activeLeases: () => store.count(), notificationsPending: () => outbox.pendingCount() },
    logger,
    // Before any body parser: both verify signatures over the raw body.
    mount: (app) => {
      slack?.mount?.(app);
      discord?.mount?.(app);
    },
  });
  closers.push(() => web.close());
  publicUrl ||= web.url;
  if (slack) {
    await slack.start();
    closers.push(() => slack.stop());
  }
  if (discord) {
    await discord.start();
    closers.push(() => discord.stop());
  }
  dispatcher.start();
  closers.push(() => dispatcher.stop());
  const scheduler = await startCleanupScheduler({
    intervalMs: config.cleanup.intervalMs,
    redisUrl,
    instanceId,
    lockTtlMs: Math.max(config.cleanup.visibilityTimeoutMs, config.cleanup.intervalMs),
    logger,
    metrics,
  });
  closers.push(() => scheduler.stop());
  logger.info(
    { instanceId, url: web.url, publicUrl, redis: describeRedis(redis), docker: where },
    'ContainerLease is running',
  );
  options.announce(`Data folder: ${config.dataDir} (instance ${instanceId}; DATA_DIR moves it)`);
  if (!slack && !discord)
    options.announce(`Dashboard for local:${user}: ${links.dashboardUrl(`local:${user}`)}`);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    // The console stops taking input first, the cleanup job next, the stores last.
    stopping ??= closeAll(closers).then(() => logger.info({}, 'ContainerLease stopped'));
    return stopping;
  };
  return { web, instanceId, consoleClosed: frontend?.closed ?? new Promise<void>(() => {}), stop };
}

async function maxmemoryPolicy(redis: import('ioredis').Redis): Promise<string> {
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    return reply[1] ?? 'unknown';
  } catch (error) {
    if (/unknown command|CONFIG/i.test((error as Error).message)) return 'unknown';
    throw error;
  }
}
