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
      dataDir: '/srv/app/.containerlease',
      redis: { url: undefined, prefix: 'cl:' },
      lease: { defaultMinutes: 60, maxMinutes: 480, maxPerUser: 3, warnMinutes: 10, maxTotalMinutes: 1440 },
      cleanup: { intervalMs: 60_000 },
      container: { memoryBytes: 512 * 1024 ** 2, nanoCpus: 1e9, pidsLimit: 256 },
      admins: [],
      logLevel: 'info',
    });
    expect(config.web.apiTokens.size).toBe(0);
    expect(settings({})).toMatchObject({ slack: undefined, discord: undefined });
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
    [
      { CLEANUP_INTERVAL: 'soon' },
      'CLEANUP_INTERVAL must be a duration from 1s to 1d, e.g. 1m or 30s (got "soon")',
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

  it('GIVEN a bad secret THEN the message does not echo it', () => {
    expect(failure({ LINK_SECRET: 'hunter2' })).not.toContain('hunter2');
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
});
