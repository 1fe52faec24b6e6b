import { describe, expect, it } from 'vitest';
import {
  connectRedis,
  describeRedis,
  redisOptionsFor,
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
