import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { decodeAction } from '../../actions.js';
import type { GrammarError, LeaseCommand } from '../../grammar/command.js';
import { stopConfirm } from '../../replies/lease-card.js';
import { buttonRow } from './buttons.js';
import { lineToMarkdown } from './markdown.js';
import type { DiscordMessage } from './message.js';

/**
 * What a pressed button asks for. Discord has no confirm dialog, so the shared `lease:stop:<id>`
 * opens an ephemeral question whose buttons carry the Discord-only ids
 * `lease:stop-confirm:<id>` (really stop) and `lease:stop-keep:<id>` (never mind).
 */
export type ButtonIntent =
  | { readonly kind: 'run'; readonly command: LeaseCommand }
  | { readonly kind: 'ask-stop'; readonly leaseId: string }
  | { readonly kind: 'keep'; readonly leaseId: string }
  | { readonly kind: 'invalid'; readonly error: GrammarError };

const CONFIRM = 'lease:stop-confirm:';
const KEEP = 'lease:stop-keep:';

export function readButton(customId: string): ButtonIntent {
  if (customId.startsWith(CONFIRM)) return run(`lease:stop:${customId.slice(CONFIRM.length)}`);
  if (customId.startsWith(KEEP))
    return { kind: 'keep', leaseId: customId.slice(KEEP.length, KEEP.length + 40) };
  const decoded = decodeAction(customId);
  if (!decoded.ok) return { kind: 'invalid', error: decoded.error };
  if (decoded.value.kind === 'stop') return { kind: 'ask-stop', leaseId: decoded.value.id };
  return { kind: 'run', command: decoded.value };
}

function run(customId: string): ButtonIntent {
  const decoded = decodeAction(customId);
  return decoded.ok ? { kind: 'run', command: decoded.value } : { kind: 'invalid', error: decoded.error };
}

/** The question the Stop button asks, with the same words as Slack's confirm dialog. */
export function stopQuestion(leaseId: string): DiscordMessage {
  const confirm = stopConfirm(leaseId);
  return {
    content: lineToMarkdown(['Stop lease ', { code: leaseId }, `? ${confirm.text}`]),
    embeds: [],
    components: [
      buttonRow([
        {
          type: ComponentType.Button,
          style: ButtonStyle.Danger,
          label: confirm.confirm,
          custom_id: `${CONFIRM}${leaseId}`,
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          label: confirm.deny,
          custom_id: `${KEEP}${leaseId}`,
        },
      ]),
    ],
    allowed_mentions: { parse: [] },
  };
}

export function keptMessage(leaseId: string): DiscordMessage {
  return {
    content: lineToMarkdown(['Kept lease ', { code: leaseId }, '; nothing was stopped.']),
    embeds: [],
    components: [],
    allowed_mentions: { parse: [] },
  };
}
