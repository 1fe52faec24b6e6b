import { z } from 'zod';
import { type Env, readVariables, type VariableTable } from '../../core/config/read-variables.js';
import { commaList, httpUrl } from '../../core/config/schemas.js';
import { ConfigError } from '../../core/errors.js';

/** The Discord application's settings: set DISCORD_TOKEN or DISCORD_PUBLIC_KEY and the product answers `/lease` there. */
export interface DiscordConfig {
  readonly token: string | undefined;
  readonly applicationId: string | undefined;
  readonly publicKey: string | undefined;
  readonly guildId: string | undefined;
  readonly apiUrl: string;
  /** Servers whose members may use the bot; empty: any. DMs: see discord/allowed-guilds.ts. */
  readonly allowedGuilds: readonly string[];
}

const SNOWFLAKE = /^\d{5,25}$/;

export const DISCORD_VARIABLES = {
  DISCORD_TOKEN: [z.string().min(20).optional(), 'the bot token from the Discord developer portal'],
  DISCORD_APPLICATION_ID: [z.string().regex(SNOWFLAKE).optional(), 'the numeric application id'],
  DISCORD_PUBLIC_KEY: [
    z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/)
      .optional(),
    "the application's public key: 64 hexadecimal characters",
  ],
  DISCORD_GUILD_ID: [z.string().regex(SNOWFLAKE).optional(), 'a numeric server (guild) id'],
  DISCORD_ALLOWED_GUILDS: [
    commaList.refine((ids) => ids.every((id) => SNOWFLAKE.test(id))).default([]),
    'numeric server (guild) ids separated by commas',
  ],
  DISCORD_API_URL: [httpUrl.default('https://discord.com/api'), 'the base URL of the Discord API'],
} as const satisfies VariableTable;

/** Reads the DISCORD_ variables; undefined when Discord is not configured (neither a token nor a public key). Throws a ConfigError naming the variable. */
export function loadDiscordConfig(env: Env = process.env): DiscordConfig | undefined {
  const v = readVariables(DISCORD_VARIABLES, env);
  if ((v.DISCORD_TOKEN || v.DISCORD_PUBLIC_KEY) && !v.DISCORD_APPLICATION_ID)
    throw new ConfigError(
      'DISCORD_APPLICATION_ID must be set when DISCORD_TOKEN or DISCORD_PUBLIC_KEY is set',
    );
  if (!v.DISCORD_TOKEN && !v.DISCORD_PUBLIC_KEY) return undefined;
  return {
    token: v.DISCORD_TOKEN,
    applicationId: v.DISCORD_APPLICATION_ID,
    publicKey: v.DISCORD_PUBLIC_KEY,
    guildId: v.DISCORD_GUILD_ID,
    apiUrl: v.DISCORD_API_URL,
    allowedGuilds: v.DISCORD_ALLOWED_GUILDS,
  };
}
