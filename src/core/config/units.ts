/** Parsers for the human units of configuration values. Each returns undefined for bad input. */

/** A positive number with an optional unit: `1.5h`, `512 m`. */
const AMOUNT = /^(\d+(?:\.\d+)?)\s*([a-z]+)?$/i;

/** A parser of `<number><unit>` by `units` (lower-case names to multipliers); a bare number is in `bare`. */
function amountIn(
  units: Readonly<Record<string, number>>,
  bare: string,
): (text: string) => number | undefined {
  return (text) => {
    const match = AMOUNT.exec(text.trim());
    if (!match?.[1]) return undefined;
    const value = Number(match[1]) * (units[(match[2] ?? bare).toLowerCase()] ?? Number.NaN);
    return Number.isFinite(value) && value > 0 ? Math.round(value) : undefined;
  };
}

/** `1m`, `30s`, `1.5h`, `500ms`; a bare number is milliseconds. */
export const parseDuration = amountIn({ ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }, 'ms');

/** `512m`, `1g`, `268435456`, as Docker's `--memory` reads them. */
export const parseBytes = amountIn(
  { b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 },
  'b',
);
