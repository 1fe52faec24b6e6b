import type { REST, RESTOptions } from '@discordjs/rest';
import { type RESTPostAPIChatInputApplicationCommandsJSONBody, Routes } from 'discord-api-types/v10';
import { type Config, loadConfig } from '../../core/config/config.js';
import { loadImageCatalog } from '../../core/config/image-catalog.js';
import { readAll } from '../../core/config/read-variables.js';
import { ConfigError } from '../../core/errors.js';
import { leaseCommand } from './commands.js';
import { type DiscordConfig, loadDiscordConfig } from './discord-config.js';
import { createRest } from './rest.js';

export interface RegisterTarget {
  readonly applicationId: string;
  /** Set: the commands of that server (they appear at once). Unset: global commands. */
  readonly guildId: string | undefined;
}

/**
 * Bulk-overwrites the application's commands (PUT), in one server or globally. Commands missing
 * from `commands` are deleted by Discord, so this is the whole set.
 */
export async function registerCommands(
  rest: REST,
  target: RegisterTarget,
  commands: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[],
): Promise<string> {
  const route = target.guildId
    ? Routes.applicationGuildCommands(target.applicationId, target.guildId)
    : Routes.applicationCommands(target.applicationId);
  const saved = (await rest.put(route, { body: commands })) as unknown[];
  const names = commands.map((command) => `/${command.name}`).join(', ');
  return target.guildId
    ? `Registered ${names} (${saved.length} command${saved.length === 1 ? '' : 's'}) in server ${target.guildId}; it is available now.`
    : `Registered ${names} (${saved.length} command${saved.length === 1 ? '' : 's'}) globally; Discord may take a while to show it everywhere.`;
}

/** What `npm run discord:register` does: read the configuration and the catalog, then register. */
export async function registerFromEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
  restOptions: Partial<RESTOptions> = {},
): Promise<string> {
  const [config, discord] = readAll<[Config, DiscordConfig | undefined]>([
    () => loadConfig(env),
    () => loadDiscordConfig(env),
  ]);
  if (!discord?.token || !discord.applicationId) {
    throw new ConfigError(
      'DISCORD_TOKEN and DISCORD_APPLICATION_ID must be set to register commands (both are on the Discord developer portal)',
    );
  }
  const catalog = loadImageCatalog(config.imagesFile);
  const command = leaseCommand({ images: catalog.list(), maxMinutes: config.lease.maxMinutes });
  return registerCommands(
    createRest(discord, restOptions),
    { applicationId: discord.applicationId, guildId: discord.guildId },
    [command],
  );
}
