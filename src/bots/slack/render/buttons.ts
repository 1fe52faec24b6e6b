import type { types } from '@slack/bolt';
import { encodeAction } from '../../actions.js';
import type { Confirm, ReplyAction } from '../../replies/reply.js';

/** Link buttons get their own id so Slack's click (which must be acknowledged) is recognised as one. */
export const LINK_ACTION_PREFIX = 'lease:link:';

/** A Reply action as a Block Kit button; `index` keeps action ids unique within their block. */
export function button(action: ReplyAction, index: number): types.Button {
  const text = plain(action.label, 75);
  switch (action.kind) {
    case 'extend':
      return {
        type: 'button',
        action_id: encodeAction(action),
        text,
        value: action.leaseId,
        ...(index === 0 ? { style: 'primary' as const } : {}),
      };
    case 'stop':
      return {
        type: 'button',
        action_id: encodeAction(action),
        text,
        value: action.leaseId,
        style: 'danger',
        confirm: confirmDialog(action.confirm),
      };
    case 'link':
      return { type: 'button', action_id: `${LINK_ACTION_PREFIX}${index}`, text, url: action.url };
  }
}

function confirmDialog(confirm: Confirm): types.ConfirmationDialog {
  return {
    title: plain(confirm.title, 100),
    text: plain(confirm.text, 300),
    confirm: plain(confirm.confirm, 30),
    deny: plain(confirm.deny, 30),
    style: 'danger',
  };
}

/** Plain text within Slack's length limit for the field it goes in. */
export function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: text.length > max ? `${text.slice(0, max - 1)}…` : text, emoji: true };
}
