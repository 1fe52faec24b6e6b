import { describe, expect, it } from 'vitest';
import { parseBytes, parseDuration } from '../../../../src/core/config/units.js';

describe('config units', () => {
  it.each([
    ['1m', 60_000],
    ['30s', 30_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
    ['250', 250],
    ['2d', 172_800_000],
  ])('GIVEN duration %s THEN %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'soon', '-1m', '0', '1 week', '1e3'])('GIVEN duration "%s" THEN undefined', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );

  it.each([
    ['512m', 512 * 1024 ** 2],
    ['1g', 1024 ** 3],
    ['64k', 65_536],
    ['1048576', 1_048_576],
  ])('GIVEN size %s THEN %i bytes', (text, bytes) => expect(parseBytes(text)).toBe(bytes));

  it.each(['', 'big', '-5m', '0'])('GIVEN size "%s" THEN undefined', (text) =>
    expect(parseBytes(text)).toBeUndefined(),
  );
});
