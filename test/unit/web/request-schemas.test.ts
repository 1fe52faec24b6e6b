import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/core/errors.js';
import { auditQuery, parseWith } from '../../../src/web/request-schemas.js';

const sinceOf = (since: string) => parseWith(auditQuery, { since }, 'query').since;

describe('the times an audit query takes', () => {
  it.each([
    ['1764489600000', 1764489600000],
    ['2026-11-30T08:00:00Z', Date.UTC(2026, 10, 30, 8)],
    ['2026-11-30T08:00:00.250Z', Date.UTC(2026, 10, 30, 8, 0, 0, 250)],
    ['2026-11-30T09:00:00+01:00', Date.UTC(2026, 10, 30, 8)],
    ['2026-11-30', Date.UTC(2026, 10, 30)],
  ])('GIVEN %s THEN it is epoch milliseconds %d', (text, expected) => {
    expect(sinceOf(text)).toBe(expected);
  });

  it.each([
    '-5',
    'May 5',
    'Tue',
    'yesterday',
    '2026-13-45T99:00:00Z',
    '1e12',
    ' 2026-11-30',
    '2026-11-30T08',
  ])('GIVEN %j THEN it is refused, naming the forms it takes', (text) => {
    expect(() => sinceOf(text)).toThrow(ValidationError);
    expect(() => sinceOf(text)).toThrow('must be epoch milliseconds or an ISO 8601 time');
  });
});
