import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../src/composition/settings.js';
import { ConfigError } from '../../../src/core/errors.js';

const settings = (env: Record<string, string>) => loadSettings(env, '/srv/app');
const load = (env: Record<string, string>) => settings(env).config;

function failure(env: Record<string, string>): string {
  try {
    settings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadSettings', () => {
  it('GIVEN an empty environment THEN every default of the README Configuration table applies', () => {
    const config = load({});
    expect(config).toMatchObject({
      env: 'development',
      port: 3000,
      publicUrl: 'http://localhost:3000',
      dataDir: join(homedir(), '.local', 'state', 'containerlease'),
      redis: { url: undefined, prefix: 'cl:' },
      lease: {
        defaultMinutes: 60,
        maxMinutes: 480,
        maxPerUser: 3,
        maxActive: 50,
        warnMinutes: 10,
        maxTotalMinutes: 1440,
      },
      cleanup: { intervalMs: 60_000 },
      container: { memoryBytes: 512 * 1024 ** 2, nanoCpus: 1e9, pidsLimit: 256 },
      isolation: { network: 'containerlease', diskLimitBytes: 2048 * 1024 ** 2, runtime: undefined },
      host: undefined,
      admins: [],
      audit: { retentionMs: 90 * 24 * 60 * 60_000 },
      logLevel: 'info',
    });
    expect(config.lease.teamQuotas.size).toBe(0);
    expect(config.web.apiTokens.size).toBe(0);
    expect(settings({})).toMatchObject({ slack: undefined, discord: undefined });
  });

  it('GIVEN no DATA_DIR THEN the per-user state directory, whatever the working directory', () => {
    const home = { HOME: '/home/alice' };
    expect(loadSettings(home, '/srv/app').config.dataDir).toBe('/home/alice/.local/state/containerlease');
    expect(loadSettings(home, '/tmp/elsewhere').config.dataDir).toBe(
      '/home/alice/.local/state/containerlease',
    );
    expect(load({ ...home, XDG_STATE_HOME: '/var/lib/alice' }).dataDir).toBe('/var/lib/alice/containerlease');
    // The XDG specification: a relative path in XDG_STATE_HOME is invalid and ignored.
    expect(load({ ...home, XDG_STATE_HOME: 'state' }).dataDir).toBe(
      '/home/alice/.local/state/containerlease',
    );
  });

  it("GIVEN DATA_DIR THEN it wins; a relative one is the operator's choice, read from the working directory", () => {
    expect(load({ DATA_DIR: '/data/cl', XDG_STATE_HOME: '/var/lib/alice' }).dataDir).toBe('/data/cl');
    expect(load({ DATA_DIR: 'data' }).dataDir).toBe('/srv/app/data');
  });

  it('GIVEN units THEN durations, sizes and CPUs are read as people write them', () => {
    const config = load({
      CLEANUP_INTERVAL: '30s',
      CONTAINER_MEMORY: '1g',
      CONTAINER_CPUS: '0.5',
      PORT: '8080',
    });
    expect(config.cleanup.intervalMs).toBe(30_000);
    expect(config.container.memoryBytes).toBe(1024 ** 3);
    expect(config.container.nanoCpus).toBe(5e8);
    expect(config.publicUrl).toBe('http://localhost:8080');
    expect(load({ PORT: '0' }).publicUrl).toBeUndefined();
  });

  it('GIVEN no PORTS_* THEN the port proxy listens on PORT+1 at localhost; given them, as said', () => {
    expect(load({ PORT: '8080' }).ports).toEqual({
      port: 8081,
      url: 'http://localhost:8081',
      domain: undefined,
    });
    expect(load({ PORT: '0' }).ports).toEqual({ port: 0, url: undefined, domain: undefined });
    expect(
      load({ PORTS_PORT: '9000', PORTS_URL: 'https://ports.example.com/', PORTS_DOMAIN: 'apps.example.com' })
        .ports,
    ).toEqual({ port: 9000, url: 'https://ports.example.com', domain: 'apps.example.com' });
  });

  it('GIVEN the isolation variables THEN the network, disk limit, runtime and listening address are taken as given', () => {
    const config = load({
      CONTAINER_NETWORK: 'none',
      CONTAINER_DISK_MB: '512',
      CONTAINER_RUNTIME: 'runsc',
      HOST: '127.0.0.1',
    });
    expect(config.isolation).toEqual({ network: 'none', diskLimitBytes: 512 * 1024 ** 2, runtime: 'runsc' });
    expect(config.host).toBe('127.0.0.1');
    expect(load({ CONTAINER_NETWORK: 'team-leases' }).isolation.network).toBe('team-leases');
  });

  it('GIVEN POOL and POOL_MAX_IDLE_MINUTES THEN sizes per image type and the idle cap; unset, no pool and an hour', () => {
    expect(load({}).pool).toEqual({ sizes: new Map(), maxIdleMs: 60 * 60_000 });
    expect(load({ POOL: ' ubuntu=2, python=1 ', POOL_MAX_IDLE_MINUTES: '30' }).pool).toEqual({
      sizes: new Map([
        ['ubuntu', 2],
        ['python', 1],
      ]),
      maxIdleMs: 30 * 60_000,
    });
    for (const bad of ['ubuntu', 'ubuntu=0', 'ubuntu=21', 'ubuntu=1,ubuntu=2', 'Ubuntu=1', 'ubuntu=-1'])
      expect(failure({ POOL: bad })).toContain('POOL must be image=count pairs');
    expect(failure({ POOL_MAX_IDLE_MINUTES: '4' })).toContain('POOL_MAX_IDLE_MINUTES must be');
  });

  it('GIVEN TEAM_QUOTAS and AUDIT_RETENTION_DAYS THEN each team has its limit and entries are kept that many days', () => {
    const config = load({
      TEAM_QUOTAS: ' slack:T0123=20, discord:4567=10,api=3,local=1,discord=2',
      AUDIT_RETENTION_DAYS: '30',
    });
    expect([...config.lease.teamQuotas]).toEqual([
      ['slack:T0123', 20],
      ['discord:4567', 10],
      ['api', 3],
      ['local', 1],
      ['discord', 2],
    ]);
    expect(config.audit.retentionMs).toBe(30 * 24 * 60 * 60_000);
  });

  it('GIVEN API_TOKENS and ADMINS THEN they are parsed into owners and tokens', () => {
    const config = load({
      API_TOKENS: 'ci=0123456789abcdef0123, ops=fedcba9876543210fedc',
      ADMINS: 'slack:T1:U1,discord:42,api:ops',
    });
    expect([...config.web.apiTokens]).toEqual([
      ['ci', '0123456789abcdef0123'],
      ['ops', 'fedcba9876543210fedc'],
    ]);
    expect(config.admins).toEqual(['slack:T1:U1', 'discord:42', 'api:ops']);
  });

  it.each([
    [
      { LEASE_MAX_MINUTES: 'abc' },
      'LEASE_MAX_MINUTES must be a whole number of minutes from 1 to 10080 (got "abc")',
    ],
    [{ PORT: '70000' }, 'PORT must be a TCP port number from 0 to 65535 (got "70000")'],
    [{ PORTS_PORT: '-1' }, 'PORTS_PORT must be a TCP port number from 0 to 65535 for the port proxy'],
    [
      { PORTS_URL: 'https://ports.example.com/apps' },
      'PORTS_URL must be the http(s) origin where users reach the port proxy',
    ],
    [{ PORTS_DOMAIN: 'Apps.Example.com' }, 'PORTS_DOMAIN must be a lower-case domain name'],
    [{ PORTS_DOMAIN: '*.example.com' }, 'PORTS_DOMAIN must be a lower-case domain name'],
    [{ PORT: '65535' }, 'PORTS_PORT must be set when PORT is 65535'],
    [{ PORT: '8080', PORTS_PORT: '8080' }, 'PORTS_PORT must differ from PORT (8080)'],
    [
      { PUBLIC_URL: 'https://lease.example.com', PORTS_URL: 'https://lease.example.com' },
      'PORTS_URL must differ from PUBLIC_URL',
    ],
    [
      { CLEANUP_INTERVAL: 'soon' },
      'CLEANUP_INTERVAL must be a duration from 1s to 10m, e.g. 1m or 30s (got "soon")',
    ],
    [
      { REDIS_URL: 'localhost:6379' },
      'REDIS_URL must be redis://host:port[/db], rediss://… or unix:///path/to/redis.sock',
    ],
    [{ ADMINS: 'bob' }, 'ADMINS must be owner ids separated by commas'],
    [{ API_TOKENS: 'ci=short' }, 'API_TOKENS must be name=token pairs'],
    [{ LINK_SECRET: 'tooshort' }, 'LINK_SECRET must be at least 32 characters'],
    [{ DISCORD_PUBLIC_KEY: 'xyz' }, 'DISCORD_PUBLIC_KEY must be'],
    [
      { LEASE_DEFAULT_MINUTES: '100', LEASE_MAX_MINUTES: '50' },
      'LEASE_DEFAULT_MINUTES must be at most LEASE_MAX_MINUTES (50)',
    ],
    [{ NODE_ENV: 'production' }, 'LINK_SECRET must be set in production'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET must be set when SLACK_BOT_TOKEN is set'],
    [
      { CONTAINER_NETWORK: 'bridge' },
      'CONTAINER_NETWORK must be none, or a Docker network name (default containerlease, created when missing); never bridge or host, which leases would share with everything else (got "bridge")',
    ],
    [{ CONTAINER_NETWORK: 'host' }, 'CONTAINER_NETWORK must be none, or a Docker network name'],
    [{ CONTAINER_NETWORK: 'container:db' }, 'CONTAINER_NETWORK must be none, or a Docker network name'],
    [
      { CONTAINER_DISK_MB: '2g' },
      'CONTAINER_DISK_MB must be a whole number of megabytes from 16 to 1048576 (got "2g")',
    ],
    [{ CONTAINER_DISK_MB: '8' }, 'CONTAINER_DISK_MB must be a whole number of megabytes from 16 to 1048576'],
    [
      { CONTAINER_RUNTIME: 'run sc' },
      'CONTAINER_RUNTIME must be the name of a runtime the Docker engine knows',
    ],
    [{ HOST: 'my host' }, 'HOST must be an address or host name to listen on'],
    [
      { CLEANUP_INTERVAL: '1d' },
      'CLEANUP_INTERVAL must be a duration from 1s to 10m, e.g. 1m or 30s (got "1d")',
    ],
    [
      { CLEANUP_INTERVAL: '5m', LEASE_WARN_MINUTES: '3' },
      "CLEANUP_INTERVAL (5m) must be shorter than LEASE_WARN_MINUTES (3 min), or a lease's warning can fall between two runs and be skipped",
    ],
    [
      { CLEANUP_INTERVAL: '90s', LEASE_WARN_MINUTES: '1' },
      'CLEANUP_INTERVAL (1m30s) must be shorter than LEASE_WARN_MINUTES (1 min)',
    ],
    [
      { LEASE_PROVISION_TIMEOUT: '30s' },
      'LEASE_PROVISION_TIMEOUT must be a duration from 2m to 1h, e.g. 10m (got "30s")',
    ],
    [
      { PUBLIC_URL: 'https://example.com/lease' },
      'PUBLIC_URL must be the http(s) origin where users reach this server, without a path',
    ],
    [{ PUBLIC_URL: 'https://example.com/?x=1' }, 'PUBLIC_URL must be the http(s) origin'],
    [{ PUBLIC_URL: 'https://user:pw@example.com' }, 'PUBLIC_URL must be the http(s) origin'],
    [{ PUBLIC_URL: 'ftp://example.com' }, 'PUBLIC_URL must be the http(s) origin'],
    [{ LEASE_MAX_ACTIVE: '0' }, 'LEASE_MAX_ACTIVE must be a whole number from 1 to 100000 (got "0")'],
    [{ LEASE_MAX_ACTIVE: 'lots' }, 'LEASE_MAX_ACTIVE must be a whole number from 1 to 100000 (got "lots")'],
    [
      { LEASE_MAX_ACTIVE: '5', LEASE_MAX_PER_USER: '10' },
      'LEASE_MAX_PER_USER (10) must be at most LEASE_MAX_ACTIVE (5)',
    ],
    [
      { SLACK_ALLOWED_TEAMS: 'acme' },
      'SLACK_ALLOWED_TEAMS must be Slack workspace ids (T…) or Enterprise org ids (E…)',
    ],
    [{ SLACK_ALLOWED_TEAMS: 'T0ACME;T0OTHER' }, 'SLACK_ALLOWED_TEAMS must be Slack workspace ids'],
    [{ DISCORD_ALLOWED_GUILDS: 'my-server' }, 'DISCORD_ALLOWED_GUILDS must be numeric server (guild) ids'],
    [{ TEAM_QUOTAS: 'slack:T1' }, 'TEAM_QUOTAS must be team=limit pairs separated by commas'],
    [{ TEAM_QUOTAS: 'slack:T1=0' }, 'TEAM_QUOTAS must be team=limit pairs'],
    [
      { TEAM_QUOTAS: 'slack:T1=5,slack:T1=6' },
      'TEAM_QUOTAS must be team=limit pairs separated by commas, each team once',
    ],
    [{ TEAM_QUOTAS: 'teams:T1=5' }, 'slack:<workspace id>, discord:<server id>, api or local'],
    [{ TEAM_QUOTAS: 'slack:T 1=5' }, 'TEAM_QUOTAS must be team=limit pairs'],
    [
      { AUDIT_RETENTION_DAYS: '0' },
      'AUDIT_RETENTION_DAYS must be a whole number of days from 1 to 3650 (got "0")',
    ],
    [
      { DISCORD_ALLOWED_GUILDS: '123456789012345678,12' },
      'DISCORD_ALLOWED_GUILDS must be numeric server (guild) ids',
    ],
  ])('GIVEN %o THEN start-up stops with one line naming the variable', (env, message) => {
    const text = failure(env);
    expect(text).toContain(message);
    expect(text).not.toContain('\n');
  });

  it('GIVEN a bad core variable and a bad chat one THEN one line names both', () => {
    const text = failure({ PORT: 'x', SLACK_SIGNING_SECRET: 'signing-secret' });
    expect(text).toContain('PORT must be');
    expect(text).toContain('SLACK_BOT_TOKEN must be set');
    expect(text).not.toContain('\n');
  });

  it('GIVEN sane neighbours THEN the relations hold at their edges', () => {
    expect(load({ CLEANUP_INTERVAL: '599s', LEASE_WARN_MINUTES: '10' }).cleanup.intervalMs).toBe(599_000);
    expect(load({ CLEANUP_INTERVAL: '10m', LEASE_WARN_MINUTES: '0' }).cleanup.intervalMs).toBe(600_000);
    expect(load({ LEASE_PROVISION_TIMEOUT: '2m' }).lease.provisionTimeoutMs).toBe(120_000);
    expect(load({ PUBLIC_URL: 'https://lease.example.com:8443/' }).publicUrl).toBe(
      'https://lease.example.com:8443',
    );
  });

  it('GIVEN a bad secret THEN the message does not echo it', () => {
    expect(failure({ LINK_SECRET: 'hunter2' })).not.toContain('hunter2');
  });

  it('GIVEN a bad value carrying a password THEN the message does not show the password', () => {
    expect(failure({ REDIS_URL: 'redis//:hunter2@10.0.0.5' })).not.toContain('hunter2');
    expect(failure({ PUBLIC_URL: 'https://alice:hunter2@lease.example.com' })).toContain(
      '(got "https://***@lease.example.com")',
    );
  });

  it('GIVEN empty variables THEN they count as unset', () => {
    expect(load({ PORT: '', REDIS_URL: '' }).port).toBe(3000);
  });

  it('GIVEN Slack in Socket Mode and Discord THEN both front-ends are configured', () => {
    const config = settings({
      SLACK_BOT_TOKEN: 'xoxb-123',
      SLACK_APP_TOKEN: 'xapp-456',
      DISCORD_TOKEN: 'a'.repeat(40),
      DISCORD_APPLICATION_ID: '123456789',
    });
    expect(config.slack).toMatchObject({
      appToken: 'xapp-456',
      signingSecret: undefined,
      apiUrl: 'https://slack.com/api',
    });
    expect(config.discord).toMatchObject({ applicationId: '123456789', apiUrl: 'https://discord.com/api' });
  });

  it('GIVEN allowed workspaces and servers THEN each bot gets its list; unset means any', () => {
    const bots = {
      SLACK_BOT_TOKEN: 'xoxb-123',
      SLACK_APP_TOKEN: 'xapp-456',
      DISCORD_TOKEN: 'a'.repeat(40),
      DISCORD_APPLICATION_ID: '123456789',
    };
    const config = settings({
      ...bots,
      SLACK_ALLOWED_TEAMS: 'T0ACME, E0ACMEORG',
      DISCORD_ALLOWED_GUILDS: '222222222222222222,333333333333333333',
    });
    expect(config.slack?.allowedTeams).toEqual(['T0ACME', 'E0ACMEORG']);
    expect(config.discord?.allowedGuilds).toEqual(['222222222222222222', '333333333333333333']);
    expect(settings(bots).slack?.allowedTeams).toEqual([]);
    expect(settings(bots).discord?.allowedGuilds).toEqual([]);
  });
});
