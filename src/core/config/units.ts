/** Parsers for the human units of configuration values. Each returns undefined for bad input. */

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i;
const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `1m`, `30s`, `1.5h`, `500ms`; a bare number is milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match?.[1]) return undefined;
  const unit = (match[2] ?? 'ms').toLowerCase();
  const value = Number(match[1]) * (DURATION_UNITS[unit] ?? Number.NaN);
  return Number.isFinite(value) && value > 0 ? Math.round(value) : undefined;
}

const BYTES = /^(\d+(?:\.\d+)?)\s*(b|k|kb|m|mb|g|gb)?$/i;
const BYTE_UNITS: Record<string, number> = {
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
};

/** `512m`, `1g`, `268435456`, as Docker's `--memory` reads them. */
export function parseBytes(text: string): number | undefined {
  const match = BYTES.exec(text.trim());
  if (!match?.[1]) return undefined;
  const unit = (match[2] ?? 'b').toLowerCase();
  const value = Number(match[1]) * (BYTE_UNITS[unit] ?? Number.NaN);
  return Number.isFinite(value) && value > 0 ? Math.round(value) : undefined;
}
