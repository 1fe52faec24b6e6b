import { describe, expect, it } from 'vitest';
import { AccessPolicy } from '../../../../src/core/services/access-policy.js';
import { failureOf } from '../../../support/outcomes.js';

describe('AccessPolicy: the owner, or an admin', () => {
  const policy = new AccessPolicy(['slack:T1:UADMIN']);

  it('GIVEN an owner in ADMINS THEN an admin actor; anyone else is not', () => {
    expect(policy.actor('slack:T1:UADMIN')).toEqual({ owner: 'slack:T1:UADMIN', isAdmin: true });
    expect(policy.actor('slack:T1:U1')).toEqual({ owner: 'slack:T1:U1', isAdmin: false });
  });

  it('GIVEN text that is no owner identity THEN validation quoting at most its first 80 characters', async () => {
    const long = `nobody${'x'.repeat(100)}`;
    const error = await failureOf((async () => policy.actor(long))());
    expect(error).toMatchObject({
      code: 'validation',
      message: `"${long.slice(0, 80)}" is not an owner identity.`,
    });
  });

  it('GIVEN a lease THEN its owner and an admin may manage it, and someone else is refused naming the lease', async () => {
    const lease = { id: '7k2m9x4qpz', owner: 'slack:T1:U1' };
    expect(policy.canManage(policy.actor('slack:T1:U1'), lease)).toBe(true);
    expect(policy.canManage(policy.actor('slack:T1:UADMIN'), lease)).toBe(true);
    expect(policy.canManage(policy.actor('slack:T1:U2'), lease)).toBe(false);
    const error = await failureOf((async () => policy.assertCanManage(policy.actor('slack:T1:U2'), lease))());
    expect(error).toMatchObject({ code: 'forbidden', message: 'Lease 7k2m9x4qpz belongs to someone else.' });
    expect(() => policy.assertCanManage(policy.actor('slack:T1:U1'), lease)).not.toThrow();
  });
});
