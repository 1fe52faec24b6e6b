import type { CommandRecord, ContainerActivity, TerminalRecord } from '../ports/container-activity.js';
import type { Logger } from '../ports/logger.js';

/** Commands are logged up to this many characters. */
const LOGGED_COMMAND_CHARS = 500;

/** Container activity as one info line per terminal session and per command, naming owner and lease. */
export function loggedActivity(logger: Logger): ContainerActivity {
  return {
    terminalClosed(record: TerminalRecord) {
      const { openedAt, closedAt, ...rest } = record;
      logger.info(
        {
          event: 'terminal',
          ...rest,
          openedAt: new Date(openedAt).toISOString(),
          durationMs: closedAt - openedAt,
        },
        'terminal session closed',
      );
    },
    commandRan(record: CommandRecord) {
      const command =
        record.command.length > LOGGED_COMMAND_CHARS
          ? `${record.command.slice(0, LOGGED_COMMAND_CHARS)}…`
          : record.command;
      logger.info({ event: 'exec', ...record, command }, 'command ran');
    },
  };
}
