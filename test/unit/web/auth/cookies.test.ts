import { describe, expect, it } from 'vitest';
import { cookieOptions, parseCookies } from '../../../../src/web/auth/cookies.js';

describe('parseCookies', () => {
  it('GIVEN duplicates, spaces, escapes and junk THEN the first of each name, decoded', () => {
    const cookies = parseCookies('a=1; cl_lease=x%3Dy; a=2; junk; =nameless; bad=%E0%A4%A');
    expect([...cookies]).toEqual([
      ['a', '1'],
      ['cl_lease', 'x=y'],
    ]);
  });

  it('GIVEN spaces around the equals sign THEN name and value without them', () => {
    expect([...parseCookies('cl_session = abc ;cl_lease\t=\tdef')]).toEqual([
      ['cl_session', 'abc'],
      ['cl_lease', 'def'],
    ]);
  });
});

describe('cookieOptions', () => {
  const now = 1_800_000_000_000;
  it('GIVEN a token that expires in a minute THEN an HttpOnly Lax cookie on its path that lives a minute', () => {
    expect(cookieOptions(true, '/logs/abcdefghjk', now + 60_000, now)).toStrictEqual({
      httpOnly: true,
      secure: true,
      sameSite: 'lax',
      path: '/logs/abcdefghjk',
      maxAge: 60_000,
    });
  });

  it('GIVEN a token already expired THEN a cookie that lives no time at all', () => {
    expect(cookieOptions(false, '/', now - 5_000, now)).toMatchObject({ secure: false, maxAge: 0 });
  });
});
