import { describe, expect, it } from 'vitest';
import { parseCookies } from '../../../../src/web/auth/cookies.js';

describe('parseCookies', () => {
  it('GIVEN duplicates, spaces, escapes and junk THEN the first of each name, decoded', () => {
    const cookies = parseCookies('a=1; cl_lease=x%3Dy; a=2; junk; =nameless; bad=%E0%A4%A');
    expect([...cookies]).toEqual([
      ['a', '1'],
      ['cl_lease', 'x=y'],
    ]);
  });
});
