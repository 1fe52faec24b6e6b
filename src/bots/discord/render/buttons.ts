import {
  type APIActionRowComponent,
  type APIButtonComponent,
  ButtonStyle,
  ComponentType,
} from 'discord-api-types/v10';
import { encodeAction } from '../../actions.js';
import type { ReplyAction } from '../../replies/reply.js';
import { clip } from './markdown.js';

export type ButtonRow = APIActionRowComponent<APIButtonComponent>;

/** Discord's limits: five rows of five buttons, labels of 80 characters. */
const MAX_ROWS = 5;
const MAX_PER_ROW = 5;
const MAX_LABEL = 80;

/** One button per action. Stop is red and asks to confirm when pressed (see button-ids.ts). */
export function actionButton(action: ReplyAction, label = action.label): APIButtonComponent {
  const text = clip(label, MAX_LABEL);
  if (action.kind === 'link')
    return { type: ComponentType.Button, style: ButtonStyle.Link, label: text, url: action.url };
  return {
    type: ComponentType.Button,
    style: action.kind === 'stop' ? ButtonStyle.Danger : ButtonStyle.Primary,
    label: text,
    custom_id: encodeAction(action),
  };
}

export function buttonRow(buttons: readonly APIButtonComponent[]): ButtonRow {
  return { type: ComponentType.ActionRow, components: buttons.slice(0, MAX_PER_ROW) };
}

/** Rows in order, dropping empty ones and any beyond Discord's five. */
export function buttonRows(groups: readonly (readonly APIButtonComponent[])[]): ButtonRow[] {
  return groups
    .filter((buttons) => buttons.length > 0)
    .slice(0, MAX_ROWS)
    .map(buttonRow);
}
