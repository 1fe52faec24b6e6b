import { type DiscordConfig, loadDiscordConfig } from '../bots/discord/discord-config.js';
import { loadSlackConfig, type SlackConfig } from '../bots/slack/slack-config.js';
import { type Config, loadConfig } from '../core/config/config.js';
import { type Env, readAll } from '../core/config/read-variables.js';

/** Everything the product reads from its environment: the core's configuration and each chat front-end's. */
export interface Settings {
  readonly config: Config;
  /** Undefined: Slack is not configured. */
  readonly slack: SlackConfig | undefined;
  /** Undefined: Discord is not configured. */
  readonly discord: DiscordConfig | undefined;
}

/**
 * Reads and validates every variable before anything starts; one ConfigError names each bad one,
 * whichever part reads it.
 */
export function loadSettings(env: Env = process.env, cwd = process.cwd()): Settings {
  const [config, slack, discord] = readAll<[Config, SlackConfig | undefined, DiscordConfig | undefined]>([
    () => loadConfig(env, cwd),
    () => loadSlackConfig(env),
    () => loadDiscordConfig(env),
  ]);
  return { config, slack, discord };
}
