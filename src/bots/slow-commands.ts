import type { LeaseCommand } from './grammar/command.js';

/** The commands that may outlast a chat platform's 3-second deadline (a pull, a stop timeout, a command's run). */
export type SlowCommand =
  | Extract<LeaseCommand, { kind: 'provision' | 'stop' | 'exec' }>
  | Extract<LeaseCommand, { kind: 'admin'; action: 'stop' }>;

/**
 * Whether a command is acknowledged before it runs, with a placeholder (`ReplyBuilder.pending`)
 * where the platform shows one. Every front-end asks here, so they agree on which wait.
 */
export function isSlow(command: LeaseCommand): command is SlowCommand {
  return (
    command.kind === 'provision' ||
    command.kind === 'stop' ||
    command.kind === 'exec' ||
    (command.kind === 'admin' && command.action === 'stop')
  );
}
