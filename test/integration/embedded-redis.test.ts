import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { findOnPath, startEmbeddedRedis } from '../../src/core/adapters/redis/embedded-redis.js';
import { connectRedis } from '../../src/core/adapters/redis/redis-connection.js';
import { silentLogger } from '../../src/core/ports/logger.js';
import { describeWith } from '../support/services.js';

describeWith({ redis: true })('the embedded redis-server used when REDIS_URL is unset', () => {
  it('GIVEN a data folder THEN a private server answers on its unix socket with append-only persistence and noeviction', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cl-data-'));
    const embedded = await startEmbeddedRedis(dataDir, silentLogger);
    expect(embedded.url).toBe(`unix://${join(dataDir, 'redis', 'redis.sock')}`);
    // Only this user may talk to it: other local users cannot reach the leases.
    expect(statSync(join(dataDir, 'redis', 'redis.sock')).mode & 0o777).toBe(0o700);
    const redis = connectRedis(embedded.url, () => {});
    try {
      await redis.set('probe', '1');
      expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      const again = await startEmbeddedRedis(dataDir, silentLogger);
      expect(again.url).toBe(embedded.url);
      await again.stop();
      expect(await redis.get('probe')).toBe('1');
      // The second start reused the server: stopping it left the first one serving on the socket.
      const fresh = connectRedis(embedded.url, () => {});
      try {
        expect(await fresh.get('probe')).toBe('1');
      } finally {
        fresh.disconnect();
      }
    } finally {
      redis.disconnect();
      await embedded.stop();
    }
    await sleep(100);
    expect(existsSync(join(dataDir, 'redis', 'redis.sock'))).toBe(false);
    expect(existsSync(join(dataDir, 'redis', 'appendonlydir'))).toBe(true);
  });

  it('GIVEN a redis-server on PATH that cannot be run THEN start-up fails with the reason, and the process lives on', async () => {
    // A folder passes the executable check, and spawning it fails with EACCES, reported as 'error'.
    const path = mkdtempSync(join(tmpdir(), 'cl-path-'));
    mkdirSync(join(path, 'redis-server'));
    const saved = process.env.PATH;
    process.env.PATH = path;
    try {
      await expect(startEmbeddedRedis(mkdtempSync(join(tmpdir(), 'cl-data-')), silentLogger)).rejects.toThrow(
        /The embedded redis-server did not start: spawn .*redis-server EACCES/,
      );
    } finally {
      process.env.PATH = saved;
    }
  });

  it('GIVEN a data folder too deep for a unix socket path THEN the socket goes in the temp folder, named by the data folder', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'cl-data-')), 'a-data-folder-deep-enough'.repeat(4));
    const embedded = await startEmbeddedRedis(dataDir, silentLogger);
    try {
      expect(embedded.url).toMatch(new RegExp(`^unix://${tmpdir()}/containerlease-[0-9a-f]{16}\\.sock$`));
      const redis = connectRedis(embedded.url, () => {});
      try {
        expect(await redis.ping()).toBe('PONG');
      } finally {
        redis.disconnect();
      }
      const again = await startEmbeddedRedis(dataDir, silentLogger);
      expect(again.url).toBe(embedded.url);
    } finally {
      await embedded.stop();
    }
  });

  it('GIVEN a redis-server that exits at once THEN start-up fails quoting what it said', async () => {
    const path = mkdtempSync(join(tmpdir(), 'cl-path-'));
    writeFileSync(
      join(path, 'redis-server'),
      '#!/bin/sh\necho "*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***" >&2\necho "Bad directive or wrong number of arguments" >&2\nexit 1\n',
      { mode: 0o755 },
    );
    const saved = process.env.PATH;
    process.env.PATH = path;
    try {
      await expect(startEmbeddedRedis(mkdtempSync(join(tmpdir(), 'cl-data-')), silentLogger)).rejects.toThrow(
        'The embedded redis-server did not start: *** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nBad directive or wrong number of arguments',
      );
    } finally {
      process.env.PATH = saved;
    }
  });

  it('GIVEN no redis-server on PATH THEN the error says what to install or set', () => {
    expect(() => findOnPath('redis-server', '/nonexistent')).toThrow(
      'REDIS_URL is not set and redis-server is not on PATH: install Redis (Debian/Ubuntu: apt-get install redis-server',
    );
  });
});
