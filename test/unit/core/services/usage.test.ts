import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../../src/core/domain/audit.js';
import { MINUTE_MS } from '../../../../src/core/domain/lease.js';
import { usageFrom } from '../../../../src/core/services/usage.js';
import { auditEntry } from '../../../support/drafts.js';

const T0 = Date.parse('2026-11-30T00:00:00Z');
let sequence = 0;

function entry(at: number, leaseId: string, fields: Partial<AuditEntry>): AuditEntry {
  sequence += 1;
  return auditEntry(`${at}-${sequence}`, at, leaseId, fields);
}

describe('usageFrom: lease-minutes from the audit trail', () => {
  it('GIVEN leases inside, across and before the window THEN only the minutes inside it count', () => {
    const from = T0;
    const to = T0 + 60 * MINUTE_MS;
    const entries = [
      // Started 30 min before the window, ended 10 min into it: 10 minutes count.
      entry(from - 30 * MINUTE_MS, 'across', { owner: 'slack:T1:U1', team: 'slack:T1' }),
      entry(from + 10 * MINUTE_MS, 'across', {
        action: 'expire',
        actor: 'system',
        owner: 'slack:T1:U1',
        team: 'slack:T1',
        params: { seconds: 40 * 60 },
        outcome: 'removed',
      }),
      // Ended before the window: nothing counts.
      entry(from - 50 * MINUTE_MS, 'before', {}),
      entry(from - 40 * MINUTE_MS, 'before', {
        action: 'stop',
        params: { seconds: 600 },
        outcome: 'removed',
      }),
      // Still running: from its activation to `to`.
      entry(from + 20 * MINUTE_MS, 'running', { image: 'python' }),
      // Adopted, then vanished.
      entry(from + 40 * MINUTE_MS, 'adopted', { action: 'adopt', actor: 'system', outcome: 'adopted' }),
      entry(from + 50 * MINUTE_MS, 'adopted', { action: 'vanished', actor: 'system', outcome: 'removed' }),
      // Refused and never active: nothing counts.
      entry(from + 5 * MINUTE_MS, 'refused', { outcome: 'refused: team quota' }),
    ];
    const report = usageFrom(entries, from, to, 1);
    expect(report.totalMinutes).toBe(10 + 40 + 10);
    expect(report.byTeam).toEqual([
      { key: 'local', minutes: 50, leases: 2 },
      { key: 'slack:T1', minutes: 10, leases: 1 },
    ]);
    expect(report.byImage).toEqual([
      { key: 'python', minutes: 40, leases: 1 },
      { key: 'busybox', minutes: 20, leases: 2 },
    ]);
    expect(report.byOwner.map((row) => row.key)).toEqual(['local:alice', 'slack:T1:U1']);
  });

  it('GIVEN a provision that failed before it was active THEN it used nothing', () => {
    const entries = [
      entry(T0, 'failed', { outcome: 'provisioning' }),
      entry(T0 + MINUTE_MS, 'failed', {
        action: 'provision-failed',
        params: { seconds: 0 },
        outcome: 'removed',
      }),
    ];
    expect(usageFrom(entries, T0 - MINUTE_MS, T0 + 10 * MINUTE_MS, 1)).toMatchObject({
      totalMinutes: 0,
      byOwner: [],
    });
  });

  it('GIVEN a lease whose activation is older than the entries reach THEN its end’s seconds say when it started', () => {
    const entries = [
      entry(T0 + 10 * MINUTE_MS, 'old', {
        action: 'stop',
        params: { seconds: 20 * 60 },
        outcome: 'removed',
      }),
    ];
    expect(usageFrom(entries, T0, T0 + 60 * MINUTE_MS, 1)).toMatchObject({
      totalMinutes: 10,
      byOwner: [{ key: 'local:alice', minutes: 10, leases: 1 }],
    });
  });
});
