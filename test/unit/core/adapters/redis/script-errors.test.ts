import { describe, expect, it } from 'vitest';
import { SCRIPT_CODES, scriptError } from '../../../../../src/core/adapters/redis/script-errors.js';

const limits = { maxPerUser: 3, maxActive: 40, maxPerTeam: 6, provisionTimeoutMs: 60_000 };

describe("a script's refusal as the error every front-end renders", () => {
  it.each([
    [SCRIPT_CODES.notFound, 'not_found', 'There is no lease l1.'],
    [SCRIPT_CODES.exists, 'conflict', 'A lease with id l1 already exists.'],
    [
      SCRIPT_CODES.quota,
      'quota_exceeded',
      'You already hold 3 leases; stop one before provisioning another.',
    ],
    [
      SCRIPT_CODES.teamQuota,
      'team_quota_exceeded',
      'Your team (slack:T1) already holds 6 leases, its limit (TEAM_QUOTAS); try again when one of them ends.',
    ],
    [
      SCRIPT_CODES.hostFull,
      'quota_exceeded',
      'This ContainerLease already runs 40 leases, its limit for all users together (LEASE_MAX_ACTIVE); try again when one ends.',
    ],
    [SCRIPT_CODES.notActive, 'conflict', 'Lease l1 is no longer active: its cleanup has begun.'],
    [SCRIPT_CODES.pastHardCap, 'limit_exceeded', 'Lease l1 cannot be extended past its hard cap.'],
    [SCRIPT_CODES.claimLost, 'conflict', 'Lease l1 changed meanwhile (code -7); try again.'],
  ])('GIVEN code %i with the limits known THEN %s, naming the limit', (code, expected, message) => {
    expect(scriptError(code, { id: 'l1', limits, team: 'slack:T1' })).toMatchObject({
      code: expected,
      message,
    });
  });

  it('GIVEN a limit refusal without the limits THEN it still reads as a sentence', () => {
    expect(
      [SCRIPT_CODES.quota, SCRIPT_CODES.teamQuota, SCRIPT_CODES.hostFull].map(
        (code) => scriptError(code, { id: 'l1' }).message,
      ),
    ).toEqual([
      'You already hold the maximum number of leases; stop one before provisioning another.',
      'Your team (this team) already holds the maximum number of leases, its limit (TEAM_QUOTAS); try again when one of them ends.',
      'This ContainerLease already runs as many leases, its limit for all users together (LEASE_MAX_ACTIVE); try again when one ends.',
    ]);
  });
});
