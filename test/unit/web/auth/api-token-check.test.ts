import { describe, expect, it } from 'vitest';
import { ApiTokenCheck, bearerToken } from '../../../../src/web/auth/api-token-check.js';

describe('ApiTokenCheck', () => {
  const check = new ApiTokenCheck(
    new Map([
      ['ci', 'token-of-ci-0123456789'],
      ['ops', 'token-of-ops-0123456789'],
    ]),
  );
  it('GIVEN a configured token THEN its name; GIVEN a prefix, a longer one or another THEN nothing', () => {
    expect(check.nameOf('token-of-ops-0123456789')).toBe('ops');
    expect(check.nameOf('token-of-ops-012345678')).toBeUndefined();
    expect(check.nameOf('token-of-ops-01234567890')).toBeUndefined();
    expect(check.nameOf('')).toBeUndefined();
  });

  it('GIVEN one token listed under two names THEN always the first name, so its owner never changes', () => {
    const shared = new ApiTokenCheck(
      new Map([
        ['deploy', 'shared-token-0123456789'],
        ['backup', 'shared-token-0123456789'],
      ]),
    );
    expect(shared.nameOf('shared-token-0123456789')).toBe('deploy');
  });
});

describe('bearerToken', () => {
  it.each([
    [undefined, undefined],
    ['Bearer abc', 'abc'],
    ['bearer   abc ', 'abc'],
    ['Basic abc', null],
    ['Bearer', null],
    ['Bearer a b', null],
    ['Token Bearer abc', null],
  ])('GIVEN %s THEN %s', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});
