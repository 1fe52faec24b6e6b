import { hostname } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { CommandRunner } from './bots/command-runner.js';
import { type ConsoleFrontend, startConsole } from './bots/console/console-frontend.js';
import { consoleUser } from './bots/console/console-user.js';
import { logNotifier } from './bots/console/log-notifier.js';
import { ReplyBuilder } from './bots/replies/reply-builder.js';
import { adapterSettings, openAdapters } from './composition/adapters.js';
import { cleanupLockTtlMs } from './composition/cleanup.js';
import { checkPoolTypes, createPoolKeeper } from './composition/pool.js';
import { redisServer } from './composition/redis-server.js';
import {
  createAdminService,
  createContainerSessions,
  createLeaseService,
  createPortTargets,
} from './composition/services.js';
import type { Settings } from './composition/settings.js';
import { resolveInstanceId, resolveLinkSecret } from './core/config/data-dir.js';
import { loadImageCatalog } from './core/config/image-catalog.js';
import { DEFAULT_LEASE_NETWORK } from './core/config/variables.js';
import { LinkTokens } from './core/links/link-tokens.js';
import type { PortsAddress } from './core/links/port-urls.js';
import { SignedLinks } from './core/links/signed-links.js';
import { systemClock } from './core/ports/clock.js';
import type { Logger } from './core/ports/logger.js';
import type { Notifier } from './core/ports/notifier.js';
import { LeaseSecondsTally } from './core/services/lease-seconds-tally.js';
import { NoticeDispatcher } from './core/services/notice-dispatcher.js';
import { startCleanupScheduler } from './jobs/cleanup-scheduler.js';
import { Authenticator } from './web/auth/authenticator.js';
import { PrometheusMetrics } from './web/metrics.js';
import { startPortsServer } from './web/ports/ports-server.js';
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
  /** Shows the console's banner and first prompt, once what starting up logged has been printed. */
  greet(): void;
  stop(): Promise<void>;
}

/**
 * The composition of the whole product from its settings: adapters, services, the outbox
 * dispatcher, the web server, the chat front-ends that are configured and the cleanup job.
 */
export async function startApp(settings: Settings, options: AppOptions): Promise<App> {
  const closers: Array<() => Promise<unknown> | unknown> = [];
  try {
    return await compose(settings, options, closers);
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
  { config, slack: slackConfig, discord: discordConfig }: Settings,
  options: AppOptions,
  closers: Array<() => Promise<unknown> | unknown>,
): Promise<App> {
  const { logger } = options;
  const clock = systemClock;
  const now = () => clock.now();
  // Read before anything starts, so a bad IMAGES_FILE is the one line the operator sees.
  const catalog = loadImageCatalog(config.imagesFile);
  checkPoolTypes(config, catalog);
  const instanceId = resolveInstanceId(config.instanceId, config.dataDir);
  const server = await redisServer(config, logger);
  closers.push(() => server.stop());
  const redisUrl = server.url;
  const adapters = openAdapters({
    ...adapterSettings(config, redisUrl),
    blockingReads: true,
    onRedisError: (error) => logger.warn({ error: error.message }, 'redis connection problem'),
  });
  closers.push(() => adapters.close());
  const { store, outbox, finalLogs, runtime } = adapters;
  await Promise.all([store.serverTime(), runtime.ping()]);
  // The default network is ours to create; any other must be the operator's, already there.
  const leaseNetwork = await runtime.prepareNetwork({
    create: config.isolation.network === DEFAULT_LEASE_NETWORK,
  });
  const isolationProblem = await runtime.isolationProblem();
  if (isolationProblem) logger.warn({ problem: isolationProblem }, 'leases cannot start as configured');

  const linkTokens = new LinkTokens(resolveLinkSecret(config.web.linkSecret, config.dataDir), now);
  let publicUrl = config.publicUrl ?? '';
  let portsAddress: PortsAddress = { url: config.ports.url ?? '', domain: config.ports.domain };
  const links = new SignedLinks(
    linkTokens,
    () => publicUrl,
    now,
    () => portsAddress,
  );
  const metrics = new PrometheusMetrics();
  const { pool: poolStore, lock } = adapters;
  const pooled = config.pool.sizes.size > 0;
  const pool = createPoolKeeper(config, catalog, {
    pool: poolStore,
    runtime,
    lock,
    clock,
    logger,
    metrics,
    instanceId,
  });
  const leaseSeconds = new LeaseSecondsTally(adapters.audit, await store.serverTime());
  metrics.watch({ leaseEnds: () => leaseSeconds.take() });
  const leases = createLeaseService(config, {
    pool,
    store,
    runtime,
    finalLogs,
    clock,
    catalog,
    links,
    logger,
    metrics,
    instanceId,
  });
  const { terminals, exec } = createContainerSessions(config, {
    leases,
    exec: adapters.exec,
    slots: adapters.slots,
    tickets: adapters.tickets,
    audit: adapters.audit,
    clock,
    logger,
  });
  const replies = new ReplyBuilder({
    images: () => leases.images(),
    links,
    clock,
    defaultMaxMinutes: config.lease.maxMinutes,
  });
  const admin = createAdminService(config, { leases, audit: adapters.audit, clock });
  const runner = new CommandRunner(leases, replies, logger, exec, admin);

  const user = consoleUser();
  const frontend: ConsoleFrontend | undefined = options.console
    ? startConsole({
        ...options.console,
        runner,
        replies,
        clock,
        user,
        stillRunning: async () =>
          (await leases.list(leases.actor(`local:${user}`))).filter((lease) => lease.status === 'active'),
      })
    : undefined;
  if (frontend) closers.push(() => frontend.close());
  // A chat platform's library is loaded only when the platform is configured: Bolt alone adds about
  // 30 MiB to the process, Discord's packages a little less (docs/architecture.md, "A lighter process").
  const slack = slackConfig
    ? (await import('./bots/slack/slack-bot.js')).createSlackBot({
        config: slackConfig,
        runner,
        replies,
        logger,
      })
    : undefined;
  const discord = discordConfig
    ? (await import('./bots/discord/discord-bot.js')).createDiscordBot({
        config: discordConfig,
        runner,
        replies,
        leases,
        logger,
      })
    : undefined;
  const notifiers: Notifier[] = [frontend?.notifier ?? logNotifier(replies, logger, now)];
  if (slack) notifiers.push(slack.notifier);
  if (discord) notifiers.push(discord.notifier);
  const dispatcher = new NoticeDispatcher(outbox, notifiers, logger, {
    consumer: `${hostname()}-${process.pid}`,
    leases: store,
  });

  const web = await startWebServer({
    port: config.port,
    host: config.host,
    // Leases reach the host at their gateway: nothing of ours answers them there.
    refuseConnectionsTo: leaseNetwork.gateways,
    publicUrl: config.publicUrl,
    leases,
    terminals,
    exec,
    admin,
    linkTokens,
    apiTokens: config.web.apiTokens,
    runtime,
    finalLogs,
    metrics,
    readiness: { ...adapters.readiness, ...(pooled ? { pool: () => pool.problems() } : {}) },
    gauges: {
      activeLeases: () => store.count(),
      notificationsPending: () => outbox.pendingCount(),
      ...(pooled ? { poolIdle: () => pool.idleCounts() } : {}),
    },
    logger,
    // Before any body parser: both verify signatures over the raw body.
    mount: (app) => {
      slack?.mount?.(app);
      discord?.mount?.(app);
    },
  });
  closers.push(() => web.close());
  publicUrl ||= web.url;
  const ports = await startPortsServer({
    port: config.ports.port,
    host: config.host,
    url: config.ports.url,
    domain: config.ports.domain,
    refuseConnectionsTo: leaseNetwork.gateways,
    auth: new Authenticator(linkTokens, config.web.apiTokens, (owner) => leases.actor(owner)),
    targets: createPortTargets(config, { store, runtime, now }),
    logger,
  });
  closers.push(() => ports.close());
  portsAddress = ports.address();
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
    lockTtlMs: cleanupLockTtlMs(config),
    logger,
    metrics,
  });
  closers.push(() => scheduler.stop());
  pool.start(config.cleanup.intervalMs);
  closers.push(() => pool.stop());
  logger.info(
    {
      instanceId,
      url: web.url,
      publicUrl,
      portsUrl: ports.url,
      redis: adapters.redisWhere,
      docker: adapters.dockerWhere,
      leaseNetwork: leaseNetwork.name,
      leaseBridge: leaseNetwork.bridge,
    },
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
  return {
    web,
    instanceId,
    consoleClosed: frontend?.closed ?? new Promise<void>(() => {}),
    greet: () => frontend?.greet(),
    stop,
  };
}
