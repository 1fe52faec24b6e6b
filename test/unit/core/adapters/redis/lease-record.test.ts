import { describe, expect, it } from 'vitest';
import {
  leaseFields,
  leaseFromRecord,
  pairsToRecord,
  recordFields,
} from '../../../../../src/core/adapters/redis/lease-record.js';
import type { Lease } from '../../../../../src/core/domain/lease.js';

const stopped: Lease = {
  id: 'lease00001',
  owner: 'slack:T1:U1',
  notify: { platform: 'slack', user: 'U1', team: 'T1', channel: 'C1' },
  team: 'slack:T1',
  imageType: 'busybox',
  image: 'local/busybox:latest',
  containerId: 'c-1',
  createdAt: 1_000,
  expiresAt: 4_000,
  hardCapAt: 8_000,
  status: 'cleaning',
  warnedAt: 3_000,
  warnedFor: 4_000,
  endedBy: 'owner',
  stoppedBy: 'api:ops',
  stopReason: 'runaway job',
};

describe('a lease as the fields of its Redis hash', () => {
  it('GIVEN a lease with every field (re-adopted after it was warned and stopped) THEN it reads back the same', () => {
    expect(leaseFromRecord(pairsToRecord(recordFields(stopped)))).toEqual(stopped);
  });

  it('GIVEN a new lease THEN it is written provisioning, unwarned, with no container and no ending', () => {
    const { containerId, status, warnedAt, warnedFor, endedBy, stoppedBy, stopReason, ...draft } = stopped;
    expect(leaseFromRecord(pairsToRecord(leaseFields(draft)))).toEqual({
      ...draft,
      containerId: '',
      status: 'provisioning',
      warnedAt: 0,
      warnedFor: 0,
    });
  });

  it('GIVEN a record an older version wrote, with fields missing THEN it reads with defaults, its team from where it was asked', () => {
    expect(
      leaseFromRecord({ id: 'lease00002', notify: '{"platform":"slack","user":"U2","team":"T9"}' }),
    ).toEqual({
      id: 'lease00002',
      owner: '',
      notify: { platform: 'slack', user: 'U2', team: 'T9' },
      team: 'slack:T9',
      imageType: '',
      image: '',
      containerId: '',
      createdAt: 0,
      expiresAt: 0,
      hardCapAt: 0,
      status: 'active',
      warnedAt: 0,
      warnedFor: 0,
    });
  });

  it('GIVEN a notify target that is not JSON THEN the lease still reads, with nobody to notify; GIVEN no id THEN no lease', () => {
    expect(leaseFromRecord({ id: 'lease00003', team: 'local', notify: 'garbled' })).toMatchObject({
      notify: { platform: '', user: '' },
      team: 'local',
    });
    expect(leaseFromRecord({})).toBeNull();
  });
});
