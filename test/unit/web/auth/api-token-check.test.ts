import { describe, expect, it } from 'vitest';
import { ApiTokenCheck, bearerToken } from '../../../../src/web/auth/api-token-check.js';
import { parseCookies } from '../../../../src/web/auth/cookies.js';
import { originAllowed } from '../../../../src/web/auth/origin.js';
import { notifyTargetFor } from '../../../../src/web/notify-target.js';

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
});

describe('bearerToken', () => {
  it.each([
    [undefined, undefined],
    ['Bearer abc', 'abc'],
    ['bearer   abc ', 'abc'],
    ['Basic abc', null],
    ['Bearer', null],
    ['Bearer a b', null],
  ])('GIVEN %s THEN %s', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});

describe('parseCookies', () => {
  it('GIVEN duplicates, spaces, escapes and junk THEN the first of each name, decoded', () => {
    const cookies = parseCookies('a=1; cl_lease=x%3Dy; a=2; junk; =nameless; bad=%E0%A4%A');
    expect([...cookies]).toEqual([
      ['a', '1'],
      ['cl_lease', 'x=y'],
    ]);
  });
});

describe('originAllowed', () => {
  it('GIVEN our origin or none THEN allowed; another THEN refused', () => {
    expect(originAllowed('https://lease.example', 'https://lease.example')).toBe(true);
    expect(originAllowed(undefined, 'https://lease.example')).toBe(true);
    expect(originAllowed('https://lease.example.evil', 'https://lease.example')).toBe(false);
    expect(originAllowed('null', 'https://lease.example')).toBe(false);
  });
});

describe('notifyTargetFor', () => {
  it.each([
    ['slack:T1:U1', { platform: 'slack', team: 'T1', user: 'U1' }],
    ['discord:42', { platform: 'discord', user: '42' }],
    ['local:alice', { platform: 'local', user: 'alice' }],
    ['api:ci', { platform: 'api', user: 'ci' }],
  ])('GIVEN owner %s THEN %o', (owner, target) => {
    expect(notifyTargetFor(owner)).toEqual(target);
  });
});
