import type { Clock } from '../../../core/ports/clock.js';
import type { Logger } from '../../../core/ports/logger.js';
import type { LeaseService } from '../../../core/services/lease-service.js';
import type { CommandRunner } from '../../command-runner.js';
import type { ReplyBuilder } from '../../replies/reply-builder.js';

/** What the interaction listeners use: the runner for commands, the service only for look-ups. */
export interface ListenerDeps {
  readonly runner: CommandRunner;
  readonly replies: ReplyBuilder;
  /** Autocomplete (images, the caller's leases) and the ownership check before a stop question. */
  readonly leases: LeaseService;
  readonly logger: Logger;
  readonly clock: Clock;
  /** A quick command still running after this long is deferred; autocomplete gives up. */
  readonly deferAfterMs: number;
  /** DISCORD_ALLOWED_GUILDS; empty: every server, and DMs. */
  readonly allowedGuilds: readonly string[];
}
