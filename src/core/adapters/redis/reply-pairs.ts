/** A Redis reply that lists `field, value, field, value…` (HGETALL in Lua, a stream entry, WITHSCORES) as pairs. */
export function pairsOf(flat: readonly string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  // Stryker disable next-line EqualityOperator,ArithmeticOperator: Redis lists fields and values in pairs, so the length is even, and `<=` or `index - 1` stop at the same end
  for (let index = 0; index + 1 < flat.length; index += 2) {
    pairs.push([flat[index] as string, flat[index + 1] as string]);
  }
  return pairs;
}
