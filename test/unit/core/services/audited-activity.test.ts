import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../../../src/core/errors.js';
import type { AuditTrail } from '../../../../src/core/ports/audit-trail.js';
import { auditedActivity } from '../../../../src/core/services/audited-activity.js';
import { composedActivity } from '../../../../src/core/services/composed-activity.js';
import { LOGGED_COMMAND_CHARS, loggedActivity } from '../../../../src/core/services/logged-activity.js';
import { InMemoryAuditTrail } from '../../../doubles/in-memory-audit-trail.js';
import { ManualClock } from '../../../doubles/manual-clock.js';
import { RecordingLogger } from '../../../doubles/recording-logger.js';

const lease = { id: 'abc123defg', owner: 'slack:T1:U1', team: 'slack:T1', imageType: 'python' };
const admin = 'slack:T1:UADMIN';
const session = { sessionId: 's-1', lease, actor: admin };
const closed = { ...session, openedAt: 1_000, closedAt: 61_000, bytesIn: 12, bytesOut: 3400 };
const command = {
  lease,
  actor: lease.owner,
  command: 'make test',
  timedOut: false,
  durationMs: 250,
  outputBytes: 9,
};

/** Lets the fire-and-forget writes settle. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('auditedActivity: terminals and commands as audit entries', () => {
  const setUp = () => {
    const trail = new InMemoryAuditTrail(new ManualClock(5_000));
    const logger = new RecordingLogger();
    return { trail, logger, activity: auditedActivity(trail, logger) };
  };
  const lines = (trail: InMemoryAuditTrail) =>
    trail.entries.map(({ action, actor, owner, team, image, leaseId, params, outcome }) => ({
      action,
      actor,
      owner,
      team,
      image,
      leaseId,
      params,
      outcome,
    }));
  const named = { actor: admin, owner: lease.owner, team: 'slack:T1', image: 'python', leaseId: lease.id };

  it('GIVEN a terminal opened and closed by an admin THEN two entries naming who opened it, the lease’s owner, team and image, its bytes, duration and end', async () => {
    const { trail, activity } = setUp();
    activity.terminalOpened(session);
    activity.terminalClosed({ ...closed, end: 'exit', exitCode: 0 });
    activity.terminalClosed({ ...closed, sessionId: 's-2', end: 'idle' });
    activity.terminalClosed({ ...closed, sessionId: 's-3', end: 'exit', exitCode: null });
    await settled();
    expect(lines(trail)).toEqual([
      { action: 'terminal-open', ...named, params: { sessionId: 's-1' }, outcome: 'opened' },
      {
        action: 'terminal-close',
        ...named,
        params: { sessionId: 's-1', durationMs: 60_000, bytesIn: 12, bytesOut: 3400, exitCode: 0 },
        outcome: 'exit',
      },
      {
        action: 'terminal-close',
        ...named,
        params: { sessionId: 's-2', durationMs: 60_000, bytesIn: 12, bytesOut: 3400 },
        outcome: 'idle',
      },
      {
        action: 'terminal-close',
        ...named,
        params: { sessionId: 's-3', durationMs: 60_000, bytesIn: 12, bytesOut: 3400 },
        outcome: 'exit',
      },
    ]);
    expect(trail.entries[0]?.platform).toBe('slack');
  });

  it('GIVEN commands that exit, time out and are killed THEN each entry says which, and a long command is cut to the logged length', async () => {
    const { trail, activity } = setUp();
    activity.commandRan({ ...command, exitCode: 2 });
    activity.commandRan({ ...command, exitCode: null, timedOut: true });
    activity.commandRan({ ...command, exitCode: null, command: 'x'.repeat(5000) });
    await settled();
    const entries = lines(trail);
    expect(entries.map((entry) => [entry.action, entry.actor, entry.outcome])).toEqual([
      ['exec', lease.owner, 'exit 2'],
      ['exec', lease.owner, 'timed out'],
      ['exec', lease.owner, 'killed'],
    ]);
    expect(entries[0]?.params).toEqual({
      command: 'make test',
      durationMs: 250,
      timedOut: false,
      outputBytes: 9,
      exitCode: 2,
    });
    expect(entries[1]?.params).toEqual({
      command: 'make test',
      durationMs: 250,
      timedOut: true,
      outputBytes: 9,
    });
    expect(entries[2]?.params.command).toBe(`${'x'.repeat(LOGGED_COMMAND_CHARS)}…`);
  });

  it('GIVEN a trail that refuses writes THEN each event is logged at warn naming action and lease, and nothing is thrown', async () => {
    const refusing: AuditTrail = {
      query: async () => ({ entries: [] }),
      record: async () => {
        throw new StoreUnavailableError('Redis is unreachable.');
      },
    };
    const logger = new RecordingLogger();
    const activity = auditedActivity(refusing, logger);
    expect(() => {
      activity.terminalOpened(session);
      activity.terminalClosed({ ...closed, end: 'closed' });
      activity.commandRan({ ...command, exitCode: 0 });
    }).not.toThrow();
    await settled();
    expect(logger.warnings).toEqual(
      ['terminal-open', 'terminal-close', 'exec'].map((action) =>
        expect.stringMatching(
          new RegExp(
            `^audit entry not written .*"action":"${action}","leaseId":"${lease.id}".*Redis is unreachable`,
          ),
        ),
      ),
    );
  });

  it('GIVEN the log and the trail composed THEN each event is both a log line and an entry', async () => {
    const trail = new InMemoryAuditTrail(new ManualClock(5_000));
    const logger = new RecordingLogger();
    const activity = composedActivity(loggedActivity(logger), auditedActivity(trail, logger));
    activity.terminalOpened(session);
    activity.terminalClosed({ ...closed, end: 'lease-ended' });
    activity.commandRan({ ...command, exitCode: 0 });
    await settled();
    expect(trail.entries.map((entry) => entry.action)).toEqual(['terminal-open', 'terminal-close', 'exec']);
    expect(
      logger.lines.map((line) => [line.message, line.fields.leaseId, line.fields.owner, line.fields.actor]),
    ).toEqual([
      ['terminal session opened', lease.id, lease.owner, admin],
      ['terminal session closed', lease.id, lease.owner, admin],
      ['command ran', lease.id, lease.owner, lease.owner],
    ]);
  });
});
