import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import { DockerExec } from '../core/adapters/docker/exec/docker-exec.js';
import type { RedisKeys } from '../core/adapters/redis/keys.js';
import { RedisSessionSlots } from '../core/adapters/redis/redis-session-slots.js';
import { RedisTerminalTickets } from '../core/adapters/redis/redis-terminal-tickets.js';
import type { TerminalPolicy } from '../core/config/config.js';
import type { Clock } from '../core/ports/clock.js';
import type { Logger } from '../core/ports/logger.js';
import { ExecService } from '../core/services/exec-service.js';
import type { LeaseService } from '../core/services/lease-service.js';
import { loggedActivity } from '../core/services/logged-activity.js';
import { TerminalService } from '../core/services/terminal-service.js';

export interface ContainerSessionsDeps {
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly docker: Docker;
  /** Where the engine is, for error messages. */
  readonly dockerWhere: string;
  readonly leases: LeaseService;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly policy: TerminalPolicy;
}

/** The ways into a lease's container: terminals (with their tickets) and single commands, on one exec adapter. */
export function createContainerSessions(deps: ContainerSessionsDeps): {
  terminals: TerminalService;
  exec: ExecService;
} {
  const exec = new DockerExec(deps.docker, deps.dockerWhere);
  const slots = new RedisSessionSlots(deps.redis, deps.keys);
  const activity = loggedActivity(deps.logger);
  const { leases, clock, logger } = deps;
  return {
    terminals: new TerminalService({
      leases,
      exec,
      tickets: new RedisTerminalTickets(deps.redis, deps.keys),
      slots,
      activity,
      clock,
      logger,
      policy: deps.policy,
    }),
    exec: new ExecService({ leases, exec, slots, activity, clock }),
  };
}
