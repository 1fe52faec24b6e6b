import { describe, expect, it } from 'vitest';
import { RedisKeys } from '../../../../../src/core/adapters/redis/keys.js';

describe('Redis key names (docs/architecture.md lists them; scripts and other instances rely on them)', () => {
  it('GIVEN the prefix cl: THEN every key is under the {leases} hash tag, named as documented', () => {
    const keys = new RedisKeys('cl:');
    expect([
      keys.base,
      keys.lease('l1'),
      keys.ended('l1'),
      keys.expiry(),
      keys.warnings(),
      keys.owner('slack:T1:U1'),
      keys.team('slack:T1'),
      keys.audit(),
      keys.container('c1'),
      keys.notifications(),
      keys.deadLetters(),
      keys.delivered('n1'),
      keys.lock('cleanup'),
      keys.pool('busybox'),
      keys.poolClaimed(),
      keys.finalLogs('l1'),
      keys.sessions('terminal', 'l1'),
      keys.ticket('ab12'),
    ]).toEqual([
      'cl:{leases}:',
      'cl:{leases}:lease:l1',
      'cl:{leases}:ended:l1',
      'cl:{leases}:expiry',
      'cl:{leases}:warnings',
      'cl:{leases}:owner:slack:T1:U1',
      'cl:{leases}:team:slack:T1',
      'cl:{leases}:audit',
      'cl:{leases}:container:c1',
      'cl:{leases}:notifications',
      'cl:{leases}:notifications:dead',
      'cl:{leases}:delivered:n1',
      'cl:{leases}:lock:cleanup',
      'cl:{leases}:pool:busybox',
      'cl:{leases}:pool-claimed',
      'cl:{leases}:logs:l1',
      'cl:{leases}:sessions:terminal:l1',
      'cl:{leases}:ticket:ab12',
    ]);
  });
});
