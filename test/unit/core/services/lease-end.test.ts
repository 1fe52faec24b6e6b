import { describe, expect, it } from 'vitest';
import type { Lease } from '../../../../src/core/domain/lease.js';
import { endOfCleaning } from '../../../../src/core/services/lease-end.js';

const lease: Lease = {
  id: '7k2m9x4qpz',
  owner: 'slack:T1:U1',
  notify: { platform: 'slack', user: 'U1', team: 'T1' },
  team: 'slack:T1',
  imageType: 'busybox',
  image: 'local/busybox:latest',
  containerId: 'c1',
  createdAt: 0,
  expiresAt: 60_000,
  hardCapAt: 120_000,
  status: 'cleaning',
  warnedAt: 0,
  warnedFor: 0,
};

describe('endOfCleaning: how a lease ends, whoever finishes its removal', () => {
  it("GIVEN the owner's own stop THEN a stop by the owner and no notice", () => {
    expect(endOfCleaning({ ...lease, endedBy: 'owner', stoppedBy: 'slack:T1:U1' }, 5)).toEqual({
      action: 'stop',
      actor: 'slack:T1:U1',
    });
  });

  it("GIVEN an admin's stop with a reason THEN a stop by the admin, and the owner told who and why", () => {
    const end = endOfCleaning({ ...lease, endedBy: 'owner', stoppedBy: 'api:ops', stopReason: 'runaway' }, 5);
    expect(end).toMatchObject({ action: 'stop', actor: 'api:ops' });
    expect(end.notice).toMatchObject({
      id: 'stopped:7k2m9x4qpz',
      kind: 'stopped',
      owner: 'slack:T1:U1',
      stoppedBy: 'api:ops',
      reason: 'runaway',
      at: 5,
    });
  });

  it('GIVEN an expiry THEN the system expired it and the owner is told, unless it never had a container', () => {
    expect(endOfCleaning({ ...lease, endedBy: 'expiry' }, 5)).toMatchObject({
      action: 'expire',
      actor: 'system',
      notice: { kind: 'expired' },
    });
    expect(endOfCleaning({ ...lease, endedBy: 'expiry', containerId: '' }, 5)).toEqual({
      action: 'expire',
      actor: 'system',
    });
  });

  it('GIVEN a provision that timed out THEN the system ended it and nobody is told', () => {
    expect(endOfCleaning({ ...lease, endedBy: 'provision-timeout' }, 5)).toEqual({
      action: 'provision-timeout',
      actor: 'system',
    });
  });

  it('GIVEN a stop for going over the disk limit THEN a stop by the system, and the owner told why', () => {
    const end = endOfCleaning({ ...lease, endedBy: 'disk' }, 5);
    expect(end).toMatchObject({ action: 'stop', actor: 'system' });
    expect(end.notice).toMatchObject({ kind: 'disk', owner: 'slack:T1:U1', at: 5 });
  });
});
