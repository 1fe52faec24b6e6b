import type {
  ActivityLease,
  CommandRecord,
  ContainerActivity,
  TerminalOpenRecord,
  TerminalRecord,
} from '../ports/container-activity.js';
import type { Logger } from '../ports/logger.js';

/** Commands are logged up to this many characters. */
export const LOGGED_COMMAND_CHARS = 500;

/** `command`, cut to LOGGED_COMMAND_CHARS with an ellipsis, as logs and the audit trail keep it. */
export function loggedCommand(command: string): string {
  return command.length > LOGGED_COMMAND_CHARS ? `${command.slice(0, LOGGED_COMMAND_CHARS)}…` : command;
}

/** The lease's fields in a log line: `leaseId`, and its owner, team and image type. */
const leaseFields = (lease: ActivityLease) => ({
  leaseId: lease.id,
  owner: lease.owner,
  team: lease.team,
  imageType: lease.imageType,
});

/** Container activity as one info line per terminal opened and closed and per command, naming who and which lease. */
export function loggedActivity(logger: Logger): ContainerActivity {
  return {
    terminalOpened({ lease, ...rest }: TerminalOpenRecord) {
      logger.info({ event: 'terminal-open', ...leaseFields(lease), ...rest }, 'terminal session opened');
    },
    terminalClosed({ lease, openedAt, closedAt, ...rest }: TerminalRecord) {
      logger.info(
        {
          event: 'terminal',
          ...leaseFields(lease),
          ...rest,
          openedAt: new Date(openedAt).toISOString(),
          durationMs: closedAt - openedAt,
        },
        'terminal session closed',
      );
    },
    commandRan({ lease, command, ...rest }: CommandRecord) {
      logger.info(
        { event: 'exec', ...leaseFields(lease), ...rest, command: loggedCommand(command) },
        'command ran',
      );
    },
  };
}
