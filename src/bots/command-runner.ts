import { interactiveProgram } from '../core/domain/interactive-programs.js';
import type { NotifyTarget } from '../core/domain/lease.js';
import { asCodedError } from '../core/errors.js';
import type { Logger } from '../core/ports/logger.js';
import type { Actor } from '../core/services/access-policy.js';
import type { AdminService } from '../core/services/admin-service.js';
import type { ExecService } from '../core/services/exec-service.js';
import type { LeaseService } from '../core/services/lease-service.js';
import type { AdminCommand, LeaseCommand } from './grammar/command.js';
import { parseCommand } from './grammar/parse-command.js';
import type { Reply } from './replies/reply.js';
import type { ReplyBuilder } from './replies/reply-builder.js';

/** `/lease admin usage` without a number of days. */
const DEFAULT_USAGE_DAYS = 7;

/** Who runs a command and where they want to hear about the lease later. */
export interface CommandContext {
  readonly owner: string;
  readonly notify: NotifyTarget;
}

/**
 * Runs `/lease` commands against the services for an owner and turns every outcome into a reply.
 * Never throws: errors become error replies with their code, so every front-end renders them alike.
 */
export class CommandRunner {
  constructor(
    private readonly leases: LeaseService,
    private readonly replies: ReplyBuilder,
    private readonly logger: Logger,
    private readonly exec: ExecService,
    private readonly admin: AdminService,
  ) {}

  /** Parses then runs; a mistyped command gets one friendly line plus usage. */
  async runText(text: string, context: CommandContext): Promise<Reply> {
    const parsed = parseCommand(text);
    return parsed.ok ? this.run(parsed.value, context) : this.replies.grammarError(parsed.error);
  }

  async run(command: LeaseCommand, context: CommandContext): Promise<Reply> {
    try {
      return await this.execute(command, this.leases.actor(context.owner), context);
    } catch (error) {
      const coded = asCodedError(error);
      if (coded.code === 'internal') {
        this.logger.error(
          { owner: context.owner, command: command.kind, error: String((error as Error)?.stack ?? error) },
          'command failed',
        );
      }
      return this.replies.error(coded);
    }
  }

  private async execute(
    command: LeaseCommand,
    actor: Actor,
    { notify, owner }: CommandContext,
  ): Promise<Reply> {
    switch (command.kind) {
      case 'provision': {
        const lease = await this.leases.provision(actor, {
          imageType: command.imageType,
          minutes: command.minutes,
          notify,
        });
        const port = command.port;
        return this.replies.provisioned(
          lease,
          port === undefined ? undefined : await this.leases.portLink(actor, lease.id, port),
        );
      }
      case 'list':
        return this.replies.list(await this.leases.list(actor, { all: command.all }), command.all, owner);
      case 'stop':
        await this.leases.stop(actor, command.id);
        return this.replies.stopped(command.id);
      case 'extend':
        return this.replies.extended(await this.leases.extend(actor, command.id, command.minutes));
      case 'logs':
        return this.replies.logs(await this.leases.logs(actor, command.id));
      case 'exec':
        return this.runInside(actor, command.id, command.command);
      case 'open':
        return this.replies.portOpened(await this.leases.portLink(actor, command.id, command.port));
      case 'images':
        return this.replies.images();
      case 'help':
        return this.replies.help();
      case 'admin':
        return this.executeAdmin(command, actor);
    }
  }

  private async executeAdmin(command: AdminCommand, actor: Actor): Promise<Reply> {
    switch (command.action) {
      case 'stop':
        await this.admin.stop(actor, command.id, command.reason);
        return this.replies.adminStopped(command.id);
      case 'list':
        return this.replies.list(await this.admin.list(actor), true, actor.owner);
      case 'audit':
        return this.replies.audit(command.id, await this.admin.audit(actor, { leaseId: command.id }));
      case 'usage':
        return this.replies.usage(await this.admin.usage(actor, command.days ?? DEFAULT_USAGE_DAYS));
    }
  }

  /** `/lease exec`: the command's result, or, for an interactive program, the way to the terminal. */
  private async runInside(actor: Actor, id: string, command: string): Promise<Reply> {
    const lease = await this.leases.get(actor, id);
    const program = interactiveProgram(command);
    if (program) return this.replies.needsTerminal(lease, program);
    return this.replies.ran(lease, command, await this.exec.run(actor, lease.id, { command }));
  }
}
