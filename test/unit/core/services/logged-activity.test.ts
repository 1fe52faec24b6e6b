import { describe, expect, it } from 'vitest';
import {
  LOGGED_COMMAND_CHARS,
  loggedActivity,
  loggedCommand,
} from '../../../../src/core/services/logged-activity.js';
import { RecordingLogger } from '../../../doubles/recording-logger.js';

const lease = { id: 'abc123defg', owner: 'slack:T1:U1', team: 'slack:T1', imageType: 'python' };
const leaseFields = { leaseId: lease.id, owner: lease.owner, team: lease.team, imageType: 'python' };
const admin = 'slack:T1:UADMIN';

describe('loggedActivity: one info line per terminal and command, naming who and which lease', () => {
  it('GIVEN a terminal opened and closed THEN two lines: who opened it, then when, for how long, its bytes and how it ended', () => {
    const logger = new RecordingLogger();
    const activity = loggedActivity(logger);
    activity.terminalOpened({ sessionId: 's-1', lease, actor: admin });
    activity.terminalClosed({
      sessionId: 's-1',
      lease,
      actor: admin,
      openedAt: Date.parse('2026-11-30T10:00:00Z'),
      closedAt: Date.parse('2026-11-30T10:01:30Z'),
      bytesIn: 12,
      bytesOut: 3400,
      end: 'exit',
      exitCode: 0,
    });
    expect(logger.lines).toEqual([
      {
        level: 'info',
        message: 'terminal session opened',
        fields: { event: 'terminal-open', ...leaseFields, sessionId: 's-1', actor: admin },
      },
      {
        level: 'info',
        message: 'terminal session closed',
        fields: {
          event: 'terminal',
          ...leaseFields,
          sessionId: 's-1',
          actor: admin,
          bytesIn: 12,
          bytesOut: 3400,
          end: 'exit',
          exitCode: 0,
          openedAt: '2026-11-30T10:00:00.000Z',
          durationMs: 90_000,
        },
      },
    ]);
  });

  it('GIVEN a command THEN one line with its outcome and the command as logged', () => {
    const logger = new RecordingLogger();
    loggedActivity(logger).commandRan({
      lease,
      actor: lease.owner,
      command: 'make test',
      exitCode: 2,
      timedOut: false,
      durationMs: 250,
      outputBytes: 9,
    });
    expect(logger.lines).toEqual([
      {
        level: 'info',
        message: 'command ran',
        fields: {
          event: 'exec',
          ...leaseFields,
          actor: lease.owner,
          exitCode: 2,
          timedOut: false,
          durationMs: 250,
          outputBytes: 9,
          command: 'make test',
        },
      },
    ]);
  });

  it('GIVEN a command of LOGGED_COMMAND_CHARS THEN it is kept whole; one character more, it is cut there with an ellipsis', () => {
    const whole = 'x'.repeat(LOGGED_COMMAND_CHARS);
    expect(loggedCommand(whole)).toBe(whole);
    expect(loggedCommand(`${whole}y`)).toBe(`${whole}…`);
  });
});
