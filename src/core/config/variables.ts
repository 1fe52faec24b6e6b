import { z } from 'zod';
import { DEFAULT_AUDIT_RETENTION_DAYS } from '../domain/audit.js';
import { isValidOwner } from '../domain/owner.js';
import { TEAM_PATTERN } from '../domain/team.js';
import type { VariableTable, VariableValues } from './read-variables.js';
import { bytes, commaList, duration, hostPorts, httpUrl, pairList, wholeNumber } from './schemas.js';

/** The lease network the product creates when it is missing. */
export const DEFAULT_LEASE_NETWORK = 'containerlease';

/** A Docker network name as the engine accepts one (or `none`). */
const LEASE_NETWORK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Docker's own networks that leases must never join: the default bridge (shared, ICC on) and the host's. */
const SHARED_NETWORKS = new Set(['bridge', 'host', 'default']);

/**
 * Every environment variable core reads, with the sentence that tells an operator what it
 * expects. The schema turns text into typed values; `config.ts` assembles them. Each chat
 * front-end reads its own variables beside its code (`src/bots/<platform>/<platform>-config.ts`).
 */

/** `https://host[:port]` and nothing more: no path, query, fragment or credentials. */
function isOrigin(text: string): boolean {
  const url = new URL(text);
  return url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
}

const apiTokens = pairList((name, token) =>
  /^[A-Za-z0-9._-]{1,64}$/.test(name) && /^\S{16,}$/.test(token) ? token : undefined,
);

/** `slack:T0123=20,discord:4567=10`: each team once, each limit a whole number from 1 to 100000. */
const teamQuotas = pairList((team, text) => {
  const limit = /^\d{1,6}$/.test(text) ? Number(text) : 0;
  return TEAM_PATTERN.test(team) && limit >= 1 && limit <= 100_000 ? limit : undefined;
});

/** `ubuntu=2,python=1`: image type names from the catalog (checked once it is read) and member counts. */
const poolSizes = pairList((image, count) =>
  /^[a-z0-9][a-z0-9_-]{0,31}$/.test(image) &&
  /^\d{1,2}$/.test(count) &&
  Number(count) >= 1 &&
  Number(count) <= 20
    ? Number(count)
    : undefined,
);

/** `[schema, what it expects]` per variable; an absent or empty variable takes its default. */
export const VARIABLES = {
  NODE_ENV: [
    z.enum(['development', 'production', 'test']).default('development'),
    'development, production or test',
  ],
  PORT: [wholeNumber(0, 65535).default(3000), 'a TCP port number from 0 to 65535'],
  HOST: [
    z
      .string()
      .regex(/^[A-Za-z0-9.:_-]{1,253}$/)
      .optional(),
    'an address or host name to listen on, e.g. 127.0.0.1 (unset: every interface)',
  ],
  PUBLIC_URL: [
    httpUrl.refine(isOrigin).optional(),
    'the http(s) origin where users reach this server, without a path, e.g. https://lease.example.com (the pages do not work under a path prefix)',
  ],
  PORTS_PORT: [
    wholeNumber(0, 65535).optional(),
    'a TCP port number from 0 to 65535 for the port proxy (default PORT+1)',
  ],
  PORTS_URL: [
    httpUrl.refine(isOrigin).optional(),
    "the http(s) origin where users reach the port proxy, without a path, e.g. https://ports.example.com (another origin than PUBLIC_URL's)",
  ],
  PORTS_DOMAIN: [
    z
      .string()
      .regex(/^(?=.{1,200}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/)
      .optional(),
    'a lower-case domain name whose hosts <id>-<port>.<domain> reach the port proxy, e.g. ports.example.com',
  ],
  DATA_DIR: [z.string().min(1).optional(), 'a directory path for the embedded Redis and generated secrets'],
  INSTANCE_ID: [
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/)
      .optional(),
    'up to 40 lower-case letters, digits and dashes',
  ],
  REDIS_URL: [
    z
      .string()
      .regex(/^(rediss?:\/\/.+|unix:\/\/\/.+|\/.+)$/)
      .optional(),
    'redis://host:port[/db], rediss://… or unix:///path/to/redis.sock',
  ],
  REDIS_SENTINELS: [
    hostPorts.optional(),
    'the Sentinels to ask for the primary, as host:port separated by commas, e.g. s1:26379,s2:26379,s3:26379',
  ],
  REDIS_SENTINEL_NAME: [
    z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/)
      .optional(),
    'the name the Sentinels monitor the primary under (sentinel monitor <name> …), e.g. mymaster',
  ],
  REDIS_CLUSTER_NODES: [
    hostPorts.optional(),
    'some nodes of the Redis Cluster, as host:port separated by commas, e.g. r1:6379,r2:6379,r3:6379',
  ],
  REDIS_PREFIX: [
    z
      .string()
      .regex(/^[A-Za-z0-9:_.-]{1,32}$/)
      .default('cl:'),
    'up to 32 letters, digits and : _ . -',
  ],
  DOCKER_HOST: [
    z
      .string()
      .regex(/^(unix:\/\/\/.+|tcp:\/\/.+:\d+|https?:\/\/.+)$/)
      .optional(),
    'unix:///var/run/docker.sock or tcp://host:port',
  ],
  // As the Docker CLI reads them: TLS with the engine's certificate checked and a client certificate shown.
  DOCKER_TLS_VERIFY: [
    z
      .enum(['1', 'true'])
      .transform(() => true)
      .optional(),
    '1 to speak TLS to DOCKER_HOST with the certificates of DOCKER_CERT_PATH, or unset',
  ],
  DOCKER_CERT_PATH: [
    z.string().min(1).optional(),
    'the folder holding ca.pem, cert.pem and key.pem (default ~/.docker)',
  ],
  IMAGES_FILE: [z.string().min(1).optional(), 'the path of a JSON image catalog'],
  LEASE_DEFAULT_MINUTES: [wholeNumber(1, 10_080).default(60), 'a whole number of minutes from 1 to 10080'],
  LEASE_MAX_MINUTES: [wholeNumber(1, 10_080).default(480), 'a whole number of minutes from 1 to 10080'],
  LEASE_MAX_PER_USER: [wholeNumber(1, 1000).default(3), 'a whole number from 1 to 1000'],
  LEASE_MAX_ACTIVE: [wholeNumber(1, 100_000).default(50), 'a whole number from 1 to 100000'],
  LEASE_WARN_MINUTES: [
    wholeNumber(0, 1440).default(10),
    'a whole number of minutes from 0 (no warning) to 1440',
  ],
  LEASE_MAX_TOTAL_MINUTES: [
    wholeNumber(1, 43_200).default(1440),
    'a whole number of minutes from 1 to 43200',
  ],
  // At least 2 minutes: the largest built-in image (node:22-slim, about 75 MB to download) takes a
  // minute at 10 Mbit/s, then it is unpacked and started; a shorter timeout cancels ordinary pulls.
  LEASE_PROVISION_TIMEOUT: [
    duration(120_000, 3_600_000).default(600_000),
    'a duration from 2m to 1h, e.g. 10m',
  ],
  // At most 10 minutes: a lease outlives its expiry by up to one interval.
  CLEANUP_INTERVAL: [duration(1_000, 600_000).default(60_000), 'a duration from 1s to 10m, e.g. 1m or 30s'],
  CLEANUP_VISIBILITY_TIMEOUT: [
    duration(1_000, 3_600_000).default(120_000),
    'a duration from 1s to 1h, e.g. 2m',
  ],
  CLEANUP_CONCURRENCY: [wholeNumber(1, 64).default(4), 'a whole number from 1 to 64'],
  CONTAINER_STOP_TIMEOUT: [wholeNumber(0, 300).default(10), 'a whole number of seconds from 0 to 300'],
  CONTAINER_MEMORY: [bytes(6 * 1024 ** 2).default(512 * 1024 ** 2), 'a size of at least 6m, e.g. 512m or 1g'],
  CONTAINER_CPUS: [
    z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .transform(Number)
      .pipe(z.number().min(0.01).max(256))
      .default(1),
    'a number of CPUs from 0.01 to 256, e.g. 0.5',
  ],
  CONTAINER_PIDS: [wholeNumber(8, 100_000).default(256), 'a whole number of processes from 8 to 100000'],
  CONTAINER_NETWORK: [
    z
      .string()
      .regex(LEASE_NETWORK_NAME)
      .refine((name) => !SHARED_NETWORKS.has(name))
      .default(DEFAULT_LEASE_NETWORK),
    `none, or a Docker network name (default ${DEFAULT_LEASE_NETWORK}, created when missing); never bridge or host, which leases would share with everything else`,
  ],
  CONTAINER_DISK_MB: [
    wholeNumber(16, 1_048_576).default(2048),
    'a whole number of megabytes from 16 to 1048576',
  ],
  CONTAINER_RUNTIME: [
    z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/)
      .optional(),
    "the name of a runtime the Docker engine knows, e.g. runsc (unset: the engine's default)",
  ],
  POOL: [
    poolSizes.default(new Map()),
    'image=count pairs separated by commas, counts from 1 to 20, e.g. ubuntu=2,python=1',
  ],
  POOL_MAX_IDLE_MINUTES: [wholeNumber(5, 1440).default(60), 'a whole number of minutes from 5 to 1440'],
  TERMINAL_MAX_PER_LEASE: [wholeNumber(1, 100).default(3), 'a whole number of terminals from 1 to 100'],
  TERMINAL_IDLE_MINUTES: [wholeNumber(1, 1440).default(30), 'a whole number of minutes from 1 to 1440'],
  LINK_SECRET: [
    z.string().min(32).optional(),
    'at least 32 characters of secret (e.g. openssl rand -hex 32)',
  ],
  API_TOKENS: [
    apiTokens.default(new Map()),
    'name=token pairs separated by commas; tokens of at least 16 characters',
  ],
  ADMINS: [
    commaList.refine((owners) => owners.every(isValidOwner)).default([]),
    'owner ids separated by commas, e.g. slack:T1:U1,discord:42,api:ops',
  ],
  TEAM_QUOTAS: [
    teamQuotas.default(new Map()),
    'team=limit pairs separated by commas, each team once: slack:<workspace id>, discord:<server id>, api or local, and a whole number from 1 to 100000, e.g. slack:T0123=20,discord:4567=10',
  ],
  AUDIT_RETENTION_DAYS: [
    wholeNumber(1, 3650).default(DEFAULT_AUDIT_RETENTION_DAYS),
    'a whole number of days from 1 to 3650',
  ],
  LOG_FORMAT: [
    z.enum(['json', 'pretty']).optional(),
    'json or pretty (unset: JSON, or in a terminal a log file with warnings shown readably)',
  ],
  LOG_LEVEL: [
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    'one of fatal, error, warn, info, debug, trace, silent',
  ],
} as const satisfies VariableTable;

export type Variables = VariableValues<typeof VARIABLES>;
