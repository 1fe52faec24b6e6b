import { describe, expect, it } from 'vitest';
import type { LeaseView } from '../../../../src/core/domain/lease.js';
import { readiness, requireReady } from '../../../../src/core/services/lease-readiness.js';

const running: LeaseView = {
  id: '7k2m9x4qpz',
  owner: 'local:alice',
  notify: { platform: 'local', user: 'alice' },
  team: 'local',
  imageType: 'busybox',
  image: 'local/busybox:latest',
  containerId: 'c1',
  createdAt: 0,
  expiresAt: 60_000,
  hardCapAt: 120_000,
  status: 'active',
  warnedAt: 0,
  warnedFor: 0,
  containerState: 'running',
  logsUrl: 'http://lease.test/logs/7k2m9x4qpz',
  terminalUrl: 'http://lease.test/terminal/7k2m9x4qpz',
};

describe('readiness: whether a terminal or a command can run in a lease now, and if not why', () => {
  it('GIVEN an active lease whose container runs THEN ready, and requireReady lets it through', () => {
    expect(readiness(running)).toEqual({ ready: true });
    expect(() => requireReady(running)).not.toThrow();
  });

  it.each([
    [
      { status: 'cleaning', containerState: 'running' },
      'ending',
      'Lease 7k2m9x4qpz has ended; its container is being removed.',
    ],
    [
      { status: 'provisioning', containerState: 'running' },
      'starting',
      'Lease 7k2m9x4qpz is still starting; try again in a moment.',
    ],
    [
      { status: 'active', containerState: 'pending' },
      'starting',
      'Lease 7k2m9x4qpz is still starting; try again in a moment.',
    ],
    [
      { status: 'active', containerState: 'stopped' },
      'stopped',
      'The container of lease 7k2m9x4qpz is not running (stopped); stop the lease and start another.',
    ],
    [
      { status: 'active', containerState: 'gone' },
      'stopped',
      'The container of lease 7k2m9x4qpz is not running (gone); stop the lease and start another.',
    ],
  ] as const)(
    'GIVEN %o THEN not ready: %s, and requireReady refuses with conflict naming it',
    (state, why, message) => {
      const lease = { ...running, ...state };
      expect(readiness(lease)).toEqual({ ready: false, state: why, message });
      expect(() => requireReady(lease)).toThrow(
        expect.objectContaining({ code: 'conflict', message, details: { leaseState: why } }),
      );
    },
  );
});
