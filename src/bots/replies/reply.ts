/**
 * A platform-neutral reply: what to say, not how it looks. The Slack, Discord and console adapters
 * each render it in their own format (Block Kit, components, plain text).
 */
export type Tone = 'info' | 'success' | 'warning' | 'error';

/** A piece of a line. Times are epoch ms, so each platform shows them in the reader's own zone. */
export type Inline =
  | string
  | { readonly time: number; readonly style: 'full' | 'relative' }
  | { readonly code: string }
  | { readonly strong: string };

export type Line = readonly Inline[];

export interface Confirm {
  readonly title: string;
  readonly text: string;
  readonly confirm: string;
  readonly deny: string;
}

export type ReplyAction =
  | { readonly kind: 'extend'; readonly leaseId: string; readonly minutes: number; readonly label: string }
  | { readonly kind: 'stop'; readonly leaseId: string; readonly label: string; readonly confirm: Confirm }
  | { readonly kind: 'link'; readonly url: string; readonly label: string };

export interface Field {
  readonly label: string;
  readonly value: Line;
}

/** One lease shown with its facts and its buttons. */
export interface LeaseCard {
  readonly leaseId: string;
  readonly title: Line;
  readonly fields: readonly Field[];
  readonly actions: readonly ReplyAction[];
}

/**
 * A command's output, as captured (up to 1 MiB). Each platform shows it in a code block when it
 * fits and sends it as a file when it does not; see command-output.ts.
 */
export interface CommandOutput {
  readonly text: string;
  /** The command wrote more than was captured. */
  readonly truncated: boolean;
  /** The name it has as a file. */
  readonly filename: string;
}

export interface Reply {
  readonly tone: Tone;
  readonly title: Line;
  readonly body: readonly Line[];
  readonly cards: readonly LeaseCard[];
  readonly actions: readonly ReplyAction[];
  /** Replies are for the caller only unless they say otherwise. */
  readonly ephemeral: boolean;
  /** The error code, for replies that report one. */
  readonly errorCode?: string;
  /** What a command printed, for `/lease exec`. */
  readonly output?: CommandOutput;
}

export function reply(tone: Tone, title: Line, more: Partial<Omit<Reply, 'tone' | 'title'>> = {}): Reply {
  return { tone, title, body: [], cards: [], actions: [], ephemeral: true, ...more };
}
