#!/usr/bin/env node
// `npm run discord:register`: registers /lease with Discord, in DISCORD_GUILD_ID if set, else globally.
import { DiscordAPIError } from '@discordjs/rest';
import { asCodedError } from '../../core/errors.js';
import { registerFromEnvironment } from './register-commands.js';

registerFromEnvironment().then(
  (summary) => {
    process.stdout.write(`${summary}\n`);
  },
  (error: unknown) => {
    console.error(`discord:register: ${describe(error)}`);
    process.exitCode = asCodedError(error).code === 'config' ? 2 : 1;
  },
);

/** One line, never a stack trace: the variable to fix, or what Discord answered. */
function describe(error: unknown): string {
  if (error instanceof DiscordAPIError)
    return `Discord refused the commands (HTTP ${error.status}): ${error.message}`;
  const coded = asCodedError(error);
  if (coded.code !== 'internal') return coded.message;
  return error instanceof Error ? (error.message.split('\n')[0] ?? 'failed') : String(error);
}
