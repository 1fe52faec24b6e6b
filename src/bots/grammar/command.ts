/** A `/lease …` command, as typed in chat or the console or pressed as a button. */
export type LeaseCommand =
  | {
      readonly kind: 'provision';
      readonly imageType: string;
      readonly minutes?: number;
      /** A port to open once it runs (`port=8000`): the reply carries its link. */
      readonly port?: number;
    }
  | { readonly kind: 'list'; readonly all: boolean }
  | { readonly kind: 'stop'; readonly id: string }
  | { readonly kind: 'extend'; readonly id: string; readonly minutes: number }
  | { readonly kind: 'logs'; readonly id: string }
  /** `command` as typed, spacing and quotes kept: it goes to `sh -c`. */
  | { readonly kind: 'exec'; readonly id: string; readonly command: string }
  | { readonly kind: 'open'; readonly id: string; readonly port: number }
  | { readonly kind: 'images' }
  | { readonly kind: 'help' }
  | AdminCommand;

/** `/lease admin …`: for ADMINS only (the service refuses anyone else). */
export type AdminCommand =
  | { readonly kind: 'admin'; readonly action: 'stop'; readonly id: string; readonly reason?: string }
  | { readonly kind: 'admin'; readonly action: 'list' }
  | { readonly kind: 'admin'; readonly action: 'audit'; readonly id: string }
  | { readonly kind: 'admin'; readonly action: 'usage'; readonly days?: number };

export type CommandKind = LeaseCommand['kind'];

/** What a mistyped command was about, so a front-end can word the problem in its own format. */
export type GrammarError =
  | { readonly identifier: 'unknown_command'; readonly word: string }
  | { readonly identifier: 'missing_argument'; readonly command: CommandKind; readonly argument: string }
  | { readonly identifier: 'unexpected_argument'; readonly command: CommandKind; readonly value: string }
  | { readonly identifier: 'invalid_minutes'; readonly command: CommandKind; readonly value: string }
  | { readonly identifier: 'invalid_port'; readonly command: CommandKind; readonly value: string }
  | { readonly identifier: 'too_long'; readonly length: number };

/** One usage line per command, in the order `help` lists them. */
export const USAGE: Readonly<Record<CommandKind, string>> = {
  provision: '/lease provision <image> [minutes] [port=N]',
  list: '/lease list [all]',
  stop: '/lease stop <id>',
  extend: '/lease extend <id> <minutes>',
  logs: '/lease logs <id>',
  exec: '/lease exec <id> <command…>',
  open: '/lease open <id> <port>',
  images: '/lease images',
  help: '/lease help',
  admin: '/lease admin stop <id> [reason] | admin list | admin audit <id> | admin usage [days]',
};

export const USAGE_LINE =
  'Usage: /lease provision <image> [minutes] [port=N] | list [all] | stop <id> | extend <id> <minutes> | logs <id> | exec <id> <command…> | open <id> <port> | images | help';
