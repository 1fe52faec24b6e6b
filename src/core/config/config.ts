import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { DAY_MS } from '../domain/audit.js';
import { ConfigError } from '../errors.js';
import { type Env, readVariables } from './read-variables.js';
import type { HostPort } from './schemas.js';
import { VARIABLES, type Variables } from './variables.js';

/**
 * The core's configuration, read once from the environment at start-up. The chat front-ends read
 * their own (see src/composition/settings.ts, which reads them all at once).
 */
export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  /** The address the web server listens on (HOST); undefined: every interface. */
  readonly host: string | undefined;
  /**
   * Where users reach the web server; links in chat replies start with it. Unset with port 0:
   * the address the server gets when it listens.
   */
  readonly publicUrl: string | undefined;
  /** The port proxy, on an origin of its own so a leased app's pages never get the API's cookies. */
  readonly ports: PortsConfig;
  /**
   * Absolute path of the data folder (embedded Redis, generated secrets, instance id). DATA_DIR, or
   * the user's state directory: never the working directory, so the product started from another
   * folder is the same installation with the same instance id and Redis.
   */
  readonly dataDir: string;
  /** Set explicitly, or generated once and kept in `dataDir` (see data-dir.ts). */
  readonly instanceId: string | undefined;
  readonly redis: {
    readonly url: string | undefined;
    readonly prefix: string;
    /** REDIS_SENTINELS and REDIS_SENTINEL_NAME: the primary is whichever the Sentinels name. */
    readonly sentinel: { readonly nodes: readonly HostPort[]; readonly name: string } | undefined;
    /** REDIS_CLUSTER_NODES: some nodes of a Redis Cluster, which tell where the rest are. */
    readonly clusterNodes: readonly HostPort[] | undefined;
  };
  readonly docker: {
    readonly host: string | undefined;
    /** DOCKER_TLS_VERIFY set: the folder of ca.pem, cert.pem and key.pem (DOCKER_CERT_PATH, else ~/.docker). */
    readonly tlsCertPath: string | undefined;
  };
  readonly imagesFile: string | undefined;
  readonly lease: LeasePolicy;
  readonly cleanup: CleanupPolicy;
  readonly container: {
    readonly memoryBytes: number;
    readonly nanoCpus: number;
    readonly pidsLimit: number;
    readonly stopTimeoutSeconds: number;
  };
  /** What keeps leases apart from each other and from the host (docs/architecture.md, Isolation). */
  readonly isolation: {
    /** The network every lease joins (CONTAINER_NETWORK), or `none`. */
    readonly network: string;
    /** The most a lease's container may write to its own layer (CONTAINER_DISK_MB). */
    readonly diskLimitBytes: number;
    /** The OCI runtime Docker runs leases under (CONTAINER_RUNTIME); undefined: the engine's default. */
    readonly runtime: string | undefined;
  };
  readonly pool: PoolPolicy;
  readonly terminal: TerminalPolicy;
  readonly web: { readonly linkSecret: string | undefined; readonly apiTokens: ReadonlyMap<string, string> };
  readonly admins: readonly string[];
  /** How long audit entries are kept (AUDIT_RETENTION_DAYS). */
  readonly audit: { readonly retentionMs: number };
  readonly logLevel: Variables['LOG_LEVEL'];
  /** How log lines look; unset lets the product choose by whether a person is watching (see composition/logging.ts). */
  readonly logFormat: Variables['LOG_FORMAT'];
}

export interface PortsConfig {
  /** Where it listens: PORTS_PORT, else PORT+1 (0 with PORT 0: a free port). */
  readonly port: number;
  /** Where users reach it (PORTS_URL); unset with port 0: the address it gets when it listens. */
  readonly url: string | undefined;
  /** PORTS_DOMAIN: also serve `<id>-<port>.<domain>`, for apps that must sit at `/`. */
  readonly domain: string | undefined;
}

export interface PortsConfig {
  /** Where it listens: PORTS_PORT, else PORT+1 (0 with PORT 0: a free port). */
  readonly port: number;
  /** Where users reach it (PORTS_URL); unset with port 0: the address it gets when it listens. */
  readonly url: string | undefined;
  /** PORTS_DOMAIN: also serve `<id>-<port>.<domain>`, for apps that must sit at `/`. */
  readonly domain: string | undefined;
}

export interface LeasePolicy {
  /** @defaultValue 60 */
  readonly defaultMinutes: number;
  /** Longest single lease or extension. @defaultValue 480 */
  readonly maxMinutes: number;
  /** @defaultValue 3 */
  readonly maxPerUser: number;
  /** Leases of all owners together on this installation. @defaultValue 50 */
  readonly maxActive: number;
  /** @defaultValue 10 */
  readonly warnMinutes: number;
  /** Hard cap from creation, extensions included. @defaultValue 1440 */
  readonly maxTotalMinutes: number;
  /** @defaultValue 600000 (10 minutes) */
  readonly provisionTimeoutMs: number;
  /** Concurrent leases per team (`domain/team.ts`) from TEAM_QUOTAS; a team not listed has no limit. */
  readonly teamQuotas: ReadonlyMap<string, number>;
}

export interface PoolPolicy {
  /** Idle members kept ready per image type (POOL); checked against the catalog when it is read. */
  readonly sizes: ReadonlyMap<string, number>;
  /** An idle member older than this is replaced (POOL_MAX_IDLE_MINUTES). @defaultValue 3600000 */
  readonly maxIdleMs: number;
}

export interface CleanupPolicy {
  /** @defaultValue 60000 */
  readonly intervalMs: number;
  /** How long a claimed lease stays hidden from other runs. @defaultValue 120000 */
  readonly visibilityTimeoutMs: number;
  /** Leases cleaned at once. @defaultValue 4 */
  readonly concurrency: number;
}

export interface TerminalPolicy {
  /** Terminals open at once on one lease, over all instances. @defaultValue 3 */
  readonly maxPerLease: number;
  /** A terminal where nothing was typed or printed this long is closed. @defaultValue 30 */
  readonly idleMinutes: number;
}

/** Reads and validates every variable; throws one ConfigError whose message names each bad one. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const values = readVariables(VARIABLES, env);
  checkRelations(values);
  return assemble(values, env, cwd);
}

/**
 * `$XDG_STATE_HOME/containerlease`, else `~/.local/state/containerlease` (the XDG Base Directory
 * specification's place for state that persists across restarts; a relative XDG_STATE_HOME is
 * invalid there and ignored).
 */
function defaultDataDir(env: Env): string {
  const stateHome = env.XDG_STATE_HOME;
  if (stateHome && isAbsolute(stateHome)) return join(stateHome, 'containerlease');
  return join(env.HOME || homedir(), '.local', 'state', 'containerlease');
}

function checkRelations(v: Variables): void {
  const fail = (message: string): never => {
    throw new ConfigError(message);
  };
  if (v.LEASE_DEFAULT_MINUTES > v.LEASE_MAX_MINUTES)
    fail(`LEASE_DEFAULT_MINUTES must be at most LEASE_MAX_MINUTES (${v.LEASE_MAX_MINUTES})`);
  if (v.LEASE_MAX_MINUTES > v.LEASE_MAX_TOTAL_MINUTES)
    fail(`LEASE_MAX_MINUTES must be at most LEASE_MAX_TOTAL_MINUTES (${v.LEASE_MAX_TOTAL_MINUTES})`);
  if (v.LEASE_WARN_MINUTES > 0 && v.CLEANUP_INTERVAL >= v.LEASE_WARN_MINUTES * 60_000)
    fail(
      `CLEANUP_INTERVAL (${formatDuration(v.CLEANUP_INTERVAL)}) must be shorter than LEASE_WARN_MINUTES (${v.LEASE_WARN_MINUTES} min), or a lease's warning can fall between two runs and be skipped`,
    );
  if (v.LEASE_MAX_PER_USER > v.LEASE_MAX_ACTIVE)
    fail(
      `LEASE_MAX_PER_USER (${v.LEASE_MAX_PER_USER}) must be at most LEASE_MAX_ACTIVE (${v.LEASE_MAX_ACTIVE})`,
    );
  if (v.PORTS_PORT === undefined && v.PORT === 65_535)
    fail('PORTS_PORT must be set when PORT is 65535 (the port proxy listens on PORT+1 by default)');
  if (v.PORTS_PORT !== undefined && v.PORTS_PORT !== 0 && v.PORTS_PORT === v.PORT)
    fail(`PORTS_PORT must differ from PORT (${v.PORT}): the port proxy needs an origin of its own`);
  if (v.PORTS_URL !== undefined && v.PUBLIC_URL !== undefined && v.PORTS_URL === v.PUBLIC_URL)
    fail('PORTS_URL must differ from PUBLIC_URL: the port proxy needs an origin of its own');
  if (v.REDIS_SENTINELS && v.REDIS_CLUSTER_NODES)
    fail(
      'REDIS_SENTINELS and REDIS_CLUSTER_NODES cannot both be set: a Redis is either watched by Sentinels or a Cluster',
    );
  if ((v.REDIS_SENTINELS || v.REDIS_CLUSTER_NODES) && v.REDIS_URL)
    fail(
      `REDIS_URL cannot be set with ${v.REDIS_SENTINELS ? 'REDIS_SENTINELS' : 'REDIS_CLUSTER_NODES'}: they say where Redis is instead`,
    );
  if (Boolean(v.REDIS_SENTINELS) !== Boolean(v.REDIS_SENTINEL_NAME))
    fail(
      'REDIS_SENTINELS and REDIS_SENTINEL_NAME must be set together: the Sentinels, and the name they know the primary by',
    );
  if (v.DOCKER_TLS_VERIFY && !/^(tcp|https):/.test(v.DOCKER_HOST ?? ''))
    fail(
      'DOCKER_TLS_VERIFY needs DOCKER_HOST=tcp://host:port (TLS is for an engine reached over the network)',
    );
  if (v.NODE_ENV === 'production' && !v.LINK_SECRET)
    fail('LINK_SECRET must be set in production (at least 32 characters, e.g. openssl rand -hex 32)');
}

/** `90s`, `1m`, `2m30s`: a duration as an operator would write it back. */
function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

function assemble(v: Variables, env: Env, cwd: string): Config {
  return {
    env: v.NODE_ENV,
    port: v.PORT,
    host: v.HOST,
    publicUrl: v.PUBLIC_URL ?? (v.PORT === 0 ? undefined : `http://localhost:${v.PORT}`),
    ports: portsConfig(v),
    dataDir: v.DATA_DIR === undefined ? defaultDataDir(env) : resolve(cwd, v.DATA_DIR),
    instanceId: v.INSTANCE_ID,
    redis: {
      url: v.REDIS_URL,
      prefix: v.REDIS_PREFIX,
      sentinel:
        v.REDIS_SENTINELS && v.REDIS_SENTINEL_NAME
          ? { nodes: v.REDIS_SENTINELS, name: v.REDIS_SENTINEL_NAME }
          : undefined,
      clusterNodes: v.REDIS_CLUSTER_NODES,
    },
    docker: {
      host: v.DOCKER_HOST,
      tlsCertPath: v.DOCKER_TLS_VERIFY
        ? resolve(cwd, v.DOCKER_CERT_PATH ?? join(env.HOME || homedir(), '.docker'))
        : undefined,
    },
    imagesFile: v.IMAGES_FILE === undefined ? undefined : resolve(cwd, v.IMAGES_FILE),
    lease: {
      defaultMinutes: v.LEASE_DEFAULT_MINUTES,
      maxMinutes: v.LEASE_MAX_MINUTES,
      maxPerUser: v.LEASE_MAX_PER_USER,
      maxActive: v.LEASE_MAX_ACTIVE,
      warnMinutes: v.LEASE_WARN_MINUTES,
      maxTotalMinutes: v.LEASE_MAX_TOTAL_MINUTES,
      provisionTimeoutMs: v.LEASE_PROVISION_TIMEOUT,
      teamQuotas: v.TEAM_QUOTAS,
    },
    cleanup: {
      intervalMs: v.CLEANUP_INTERVAL,
      visibilityTimeoutMs: v.CLEANUP_VISIBILITY_TIMEOUT,
      concurrency: v.CLEANUP_CONCURRENCY,
    },
    container: {
      memoryBytes: v.CONTAINER_MEMORY,
      nanoCpus: Math.round(v.CONTAINER_CPUS * 1e9),
      pidsLimit: v.CONTAINER_PIDS,
      stopTimeoutSeconds: v.CONTAINER_STOP_TIMEOUT,
    },
    isolation: {
      network: v.CONTAINER_NETWORK,
      diskLimitBytes: v.CONTAINER_DISK_MB * 1024 ** 2,
      runtime: v.CONTAINER_RUNTIME,
    },
    pool: { sizes: v.POOL, maxIdleMs: v.POOL_MAX_IDLE_MINUTES * 60_000 },
    terminal: { maxPerLease: v.TERMINAL_MAX_PER_LEASE, idleMinutes: v.TERMINAL_IDLE_MINUTES },
    web: { linkSecret: v.LINK_SECRET, apiTokens: v.API_TOKENS },
    admins: v.ADMINS,
    audit: { retentionMs: v.AUDIT_RETENTION_DAYS * DAY_MS },
    logLevel: v.LOG_LEVEL,
    logFormat: v.LOG_FORMAT,
  };
}

function portsConfig(v: Variables): PortsConfig {
  const port = v.PORTS_PORT ?? (v.PORT === 0 ? 0 : v.PORT + 1);
  return {
    port,
    url: v.PORTS_URL ?? (port === 0 ? undefined : `http://localhost:${port}`),
    domain: v.PORTS_DOMAIN,
  };
}
