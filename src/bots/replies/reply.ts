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
}

export function reply(tone: Tone, title: Line, more: Partial<Omit<Reply, 'tone' | 'title'>> = {}): Reply {
  return { tone, title, body: [], cards: [], actions: [], ephemeral: true, ...more };
}
