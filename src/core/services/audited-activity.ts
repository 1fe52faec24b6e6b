import type { AuditParams, AuditRecord } from '../domain/audit.js';
import { asCodedError } from '../errors.js';
import type { AuditTrail } from '../ports/audit-trail.js';
import type {
  ActivityLease,
  CommandRecord,
  ContainerActivity,
  TerminalOpenRecord,
  TerminalRecord,
} from '../ports/container-activity.js';
import type { Logger } from '../ports/logger.js';
import { loggedCommand } from './logged-activity.js';

/**
 * Container activity as audit entries (`terminal-open`, `terminal-close`, `exec`), written through
 * `AuditTrail.record` since no store script makes these changes. A write that fails is logged at
 * warn and dropped: the terminal or command it describes has happened and goes on regardless.
 */
export function auditedActivity(trail: AuditTrail, logger: Logger): ContainerActivity {
  const record = (entry: AuditRecord) => {
    trail.record(entry).catch((error: unknown) => {
      logger.warn(
        {
          action: entry.action,
          leaseId: entry.leaseId,
          actor: entry.actor,
          error: asCodedError(error).message,
        },
        'audit entry not written',
      );
    });
  };
  return {
    terminalOpened({ lease, actor, sessionId }: TerminalOpenRecord) {
      record(entry(lease, actor, 'terminal-open', { sessionId }, 'opened'));
    },
    terminalClosed(session: TerminalRecord) {
      const params: Record<string, string | number> = {
        sessionId: session.sessionId,
        durationMs: session.closedAt - session.openedAt,
        bytesIn: session.bytesIn,
        bytesOut: session.bytesOut,
      };
      if (typeof session.exitCode === 'number') params.exitCode = session.exitCode;
      record(entry(session.lease, session.actor, 'terminal-close', params, session.end));
    },
    commandRan(command: CommandRecord) {
      const params: Record<string, string | number | boolean> = {
        command: loggedCommand(command.command),
        durationMs: command.durationMs,
        timedOut: command.timedOut,
        outputBytes: command.outputBytes,
      };
      if (command.exitCode !== null) params.exitCode = command.exitCode;
      record(entry(command.lease, command.actor, 'exec', params, commandOutcome(command)));
    },
  };
}

function entry(
  lease: ActivityLease,
  actor: string,
  action: AuditRecord['action'],
  params: AuditParams,
  outcome: string,
): AuditRecord {
  return {
    actor,
    action,
    leaseId: lease.id,
    owner: lease.owner,
    team: lease.team,
    image: lease.imageType,
    params,
    outcome,
  };
}

/** `exit N`, `timed out`, or `killed` (its caller went away, or the engine lost its exit code). */
function commandOutcome(command: CommandRecord): string {
  if (command.timedOut) return 'timed out';
  return command.exitCode === null ? 'killed' : `exit ${command.exitCode}`;
}
