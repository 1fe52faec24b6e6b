import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  connectRedis,
  connectTarget,
  describeRedis,
  redisOptionsFor,
  storeCall,
} from '../../../../../src/core/adapters/redis/redis-connection.js';

describe('REDIS_URL as connection options', () => {
  it.each([
    ['unix:///run/redis/redis.sock', { path: '/run/redis/redis.sock' }],
    ['/var/lib/containerlease/redis.sock', { path: '/var/lib/containerlease/redis.sock' }],
    [
      'redis://127.0.0.1',
      { host: '127.0.0.1', port: 6379, username: undefined, password: undefined, db: 0, tls: undefined },
    ],
    [
      'redis://lease%40ops:p%3Ass%2Fword@redis.internal:6380/3',
      {
        host: 'redis.internal',
        port: 6380,
        username: 'lease@ops',
        password: 'p:ss/word',
        db: 3,
        tls: undefined,
      },
    ],
    [
      'rediss://:secret@redis.example:6390/',
      { host: 'redis.example', port: 6390, username: undefined, password: 'secret', db: 0, tls: {} },
    ],
  ])('GIVEN %s THEN %o', (url, options) => {
    expect(redisOptionsFor(url)).toStrictEqual(options);
  });
});

describe('where a connection points, for messages', () => {
  it('GIVEN a URL with credentials THEN host and port only; GIVEN a socket THEN its path', () => {
    const connections = [
      connectRedis('redis://ops:secret@127.0.0.1:6390/2', () => {}, { lazyConnect: true }),
      connectRedis('unix:///run/redis.sock', () => {}, { lazyConnect: true }),
      connectRedis('', () => {}, {
        lazyConnect: true,
        sentinels: [
          { host: '10.0.0.1', port: 26379 },
          { host: '10.0.0.2', port: 26380 },
        ],
        name: 'leases',
      }),
    ];
    try {
      expect(connections.map(describeRedis)).toEqual([
        'redis://127.0.0.1:6390',
        'unix:///run/redis.sock',
        'the primary leases of Sentinels 10.0.0.1:26379,10.0.0.2:26380',
      ]);
    } finally {
      for (const connection of connections) connection.disconnect();
    }
  });
});

describe('a Redis that cannot be reached, as the error every front-end renders', () => {
  const redis = connectRedis('redis://ops:secret@127.0.0.1:6390/2', () => {}, { lazyConnect: true });
  afterAll(() => redis.disconnect());

  const failing = (error: unknown) => storeCall(redis, () => Promise.reject(error));
  const coded = (message: string, fields: Partial<Error & { code: string }>) =>
    Object.assign(new Error(message), fields);

  it('GIVEN the connection errors ioredis raises THEN store_unavailable naming where Redis was looked for, and why', async () => {
    const errors = [
      coded('connect ECONNREFUSED 127.0.0.1:6390', { code: 'ECONNREFUSED' }),
      coded('connect ENOENT /run/redis.sock', { code: 'ENOENT' }),
      coded('connect ETIMEDOUT', { code: 'ETIMEDOUT' }),
      coded('read ECONNRESET', { code: 'ECONNRESET' }),
      coded('Failed to refresh slots cache.', { name: 'ClusterAllFailedError' }),
      new Error('Connection is closed.'),
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
      new Error('All sentinels are unreachable. Retrying from scratch after 10ms.'),
      new Error('CLUSTERDOWN The cluster is down'),
      new Error('None of startup nodes is available'),
    ];
    for (const error of errors) {
      await expect(failing(error)).rejects.toMatchObject({
        code: 'store_unavailable',
        message: `Redis is unreachable at redis://127.0.0.1:6390 (${error.message}). Is redis-server running?`,
        cause: error,
      });
    }
  });

  it('GIVEN the retries ran out THEN store_unavailable without the retry counter', async () => {
    const error = coded('Reached the max retries per request limit (which is 1).', {
      name: 'MaxRetriesPerRequestError',
    });
    await expect(failing(error)).rejects.toMatchObject({
      code: 'store_unavailable',
      message: 'Redis is unreachable at redis://127.0.0.1:6390. Is redis-server running?',
    });
  });

  it('GIVEN a reply error or anything else THEN it passes through as it was', async () => {
    const wrongType = new Error('WRONGTYPE Operation against a key holding the wrong kind of value');
    await expect(failing(wrongType)).rejects.toBe(wrongType);
    await expect(failing('a string')).rejects.toBe('a string');
    await expect(failing(undefined)).rejects.toBeUndefined();
    await expect(storeCall(redis, async () => 'answer')).resolves.toBe('answer');
  });

  it('GIVEN nothing listening THEN a command fails fast as store_unavailable, and the caller is told of the connection error', async () => {
    const told: string[] = [];
    const nowhere = connectRedis('redis://127.0.0.1:1', (error) => told.push(error.message));
    try {
      await expect(storeCall(nowhere, () => nowhere.get('key'))).rejects.toMatchObject({
        code: 'store_unavailable',
        message: expect.stringContaining('Redis is unreachable at redis://127.0.0.1:1'),
      });
      expect(told).toContain('connect ECONNREFUSED 127.0.0.1:1');
    } finally {
      nowhere.disconnect();
    }
  });
});

describe('reconnecting', () => {
  it('GIVEN a lost connection THEN it is retried 100 ms later per attempt, at most 2 s apart', () => {
    const redis = connectRedis('redis://127.0.0.1:6390', () => {}, { lazyConnect: true });
    try {
      expect([1, 3, 20, 50].map((times) => redis.options.retryStrategy?.(times))).toEqual([
        100, 300, 2_000, 2_000,
      ]);
    } finally {
      redis.disconnect();
    }
  });

  it('GIVEN Sentinels THEN a write refused with READONLY (a demoted primary) reconnects and is sent again; other errors do not', () => {
    const redis = connectTarget({ sentinels: [{ host: '10.0.0.1', port: 26379 }], name: 'leases' }, () => {});
    try {
      const reconnect = (redis as Redis).options.reconnectOnError;
      expect(reconnect?.(new Error("READONLY You can't write against a read only replica."))).toBe(2);
      expect(reconnect?.(new Error('ERR unknown command'))).toBe(false);
      expect(describeRedis(redis)).toBe('the primary leases of Sentinels 10.0.0.1:26379');
    } finally {
      redis.disconnect();
    }
  });

  it('GIVEN a Cluster none of whose nodes answered yet THEN messages say so', () => {
    const cluster = connectTarget({ clusterNodes: [{ host: '127.0.0.1', port: 1 }] }, () => {});
    try {
      expect(describeRedis(cluster)).toBe('the Redis Cluster of no reachable node');
    } finally {
      cluster.disconnect();
    }
  });
});
