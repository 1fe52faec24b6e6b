import { describe, expect, it } from 'vitest';
import { CursorTracker, parseCursor, ResumeFilter } from '../../../../src/web/logs/resume-cursor.js';

const at = (ts: string) => ({ ts });
const T1 = '2026-01-01T00:00:01.000000000Z';
const T2 = '2026-01-01T00:00:02.000000000Z';
const T3 = '2026-01-01T00:00:03.000000000Z';

describe('ResumeFilter', () => {
  it('GIVEN no cursor THEN every line passes', () => {
    const filter = new ResumeFilter(undefined);
    expect([T1, T2].map((ts) => filter.admits(at(ts)))).toEqual([true, true]);
  });

  it('GIVEN a cursor THEN older lines and the lines already had at its timestamp are dropped, the rest pass', () => {
    const filter = new ResumeFilter({ ts: T2, count: 2 });
    const stream = [T1, T2, T2, T2, T3, T1];
    expect(stream.map((ts) => filter.admits(at(ts)))).toEqual([false, false, false, true, true, true]);
    expect(filter.open).toBe(true);
  });

  it('GIVEN a cursor older than anything left THEN the first line passes and opens the filter', () => {
    const filter = new ResumeFilter({ ts: T1, count: 1 });
    expect(filter.admits(at(T3))).toBe(true);
    expect(filter.open).toBe(true);
  });
});

describe('CursorTracker', () => {
  it('GIVEN lines with repeated timestamps THEN the cursor counts the lines at the last one', () => {
    const tracker = new CursorTracker();
    for (const ts of [T1, T2, T2, '', T2]) tracker.note(at(ts));
    expect(tracker.cursor).toEqual({ ts: T2, count: 3 });
  });

  it('GIVEN a tracked cursor THEN a filter built from it admits exactly the lines after it', () => {
    const lines = [T1, T2, T2, T3, T3].map(at);
    const tracker = new CursorTracker();
    for (const line of lines.slice(0, 3)) tracker.note(line);
    const filter = new ResumeFilter(tracker.cursor);
    expect(lines.filter((line) => filter.admits(line))).toEqual(lines.slice(3));
  });
});

describe('parseCursor', () => {
  it.each([
    [T2, '3', { ts: T2, count: 3 }],
    [T2, null, { ts: T2, count: 0 }],
    [T2, '-1', { ts: T2, count: 0 }],
    ['yesterday', '1', undefined],
    [null, '1', undefined],
  ])('GIVEN since=%s skip=%s THEN %o', (since, skip, expected) => {
    expect(parseCursor(since, skip)).toEqual(expected);
  });
});
