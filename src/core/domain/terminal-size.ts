import { ValidationError } from '../errors.js';

/** A terminal's size in character cells. */
export interface TerminalSize {
  readonly cols: number;
  readonly rows: number;
}

/** Far beyond any screen (a 4K display at a 6-pixel font is 640 columns); TTYs take up to 65535. */
export const MAX_TERMINAL_COLS = 1000;
export const MAX_TERMINAL_ROWS = 1000;
/** What a terminal is until its page says otherwise. */
export const DEFAULT_TERMINAL_SIZE: TerminalSize = { cols: 80, rows: 24 };

/** A size in whole cells, from 1×1 up to the maximum; a refusal naming the limits otherwise. */
export function requireTerminalSize(cols: unknown, rows: unknown): TerminalSize {
  const fits = (value: unknown, max: number): value is number =>
    typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max;
  if (fits(cols, MAX_TERMINAL_COLS) && fits(rows, MAX_TERMINAL_ROWS)) return { cols, rows };
  const shown = `${String(cols).slice(0, 12)}×${String(rows).slice(0, 12)}`;
  throw new ValidationError(
    `A terminal is 1 to ${MAX_TERMINAL_COLS} columns by 1 to ${MAX_TERMINAL_ROWS} rows; ${shown} was ignored.`,
    { details: { field: 'size' } },
  );
}
