import { describe, expect, it } from 'vitest';
import { fullTime } from '../../../../src/bots/replies/plain-text.js';

describe('fullTime', () => {
  const instant = Date.UTC(2026, 10, 29, 12, 0);

  it('GIVEN the same instant in several zones, asked twice THEN each answer is in its own zone', () => {
    for (let round = 0; round < 2; round += 1) {
      expect(fullTime(instant, 'UTC')).toBe('29 Nov 2026, 12:00 UTC');
      expect(fullTime(instant, 'Asia/Tokyo')).toBe('29 Nov 2026, 21:00 GMT+9');
      expect(fullTime(instant + 60_000, 'UTC')).toBe('29 Nov 2026, 12:01 UTC');
    }
  });

  it('GIVEN an unknown zone THEN it throws every time, and later zones still work', () => {
    expect(() => fullTime(instant, 'Nowhere/Else')).toThrow(RangeError);
    expect(() => fullTime(instant, 'Nowhere/Else')).toThrow(RangeError);
    expect(fullTime(instant, 'UTC')).toBe('29 Nov 2026, 12:00 UTC');
  });
});
