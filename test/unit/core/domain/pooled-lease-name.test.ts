import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LABELS } from '../../../../src/core/domain/container-labels.js';
import {
  claimedName,
  isIdlePoolMember,
  leaseFromName,
  leaseOfContainer,
} from '../../../../src/core/domain/pooled-lease-name.js';

const lease = {
  leaseId: 'abcdefghjk',
  owner: 'slack:T1:U1',
  imageType: 'ubuntu',
  notify: { platform: 'slack', user: 'U1', team: 'T1', channel: 'C1' },
  createdAt: Date.parse('2026-11-30T08:00:00Z'),
  expiresAt: Date.parse('2026-11-30T09:00:00Z'),
  hardCapAt: Date.parse('2026-12-01T08:00:00Z'),
};

describe('a claimed pool member carries its lease in its name', () => {
  it('GIVEN any lease THEN its name is a valid Docker name that gives the lease back', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer({ min: 0, max: 2 ** 45 }), (owner, user, at) => {
        const any = { ...lease, owner, notify: { platform: 'local', user }, expiresAt: at };
        const name = claimedName(any);
        expect(name).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/);
        expect(leaseFromName(name, 'ubuntu')).toEqual(any);
        expect(leaseFromName(`/${name}`, 'ubuntu')).toEqual(any);
      }),
    );
  });

  it('GIVEN any other name THEN no lease', () => {
    const good = claimedName(lease);
    const facts = good.split('.')[1] as string;
    for (const name of [
      'pool-ubuntu-abcdefghjk',
      'lease-abcdefghjk',
      `lease-ABCDEFGHJK.${facts}`,
      `lease-abc.${facts}`,
      `lease-abcdefghjk.${Buffer.from('not json').toString('base64url')}`,
      `lease-abcdefghjk.${Buffer.from('{"o":1}').toString('base64url')}`,
      `lease-abcdefghjk.${Buffer.from(JSON.stringify({ o: 'a', n: { platform: 'x', user: 'y' }, c: 1, e: 'soon', h: 3 })).toString('base64url')}`,
    ])
      expect(leaseFromName(name, 'ubuntu')).toBeNull();
  });

  it('GIVEN a container THEN its lease comes from its labels, or from its name only when it is a pool member', () => {
    const idle = { name: 'pool-ubuntu-abcdefghjk', labels: { [LABELS.pool]: 'ubuntu' } };
    const claimed = { name: claimedName(lease), labels: { [LABELS.pool]: 'ubuntu' } };
    const impostor = { name: claimedName(lease), labels: {} };
    expect(leaseOfContainer(idle)).toBeNull();
    expect(isIdlePoolMember(idle)).toBe(true);
    expect(leaseOfContainer(claimed)).toEqual(lease);
    expect(isIdlePoolMember(claimed)).toBe(false);
    expect(leaseOfContainer(impostor)).toBeNull();
    expect(isIdlePoolMember(impostor)).toBe(false);
  });
});
