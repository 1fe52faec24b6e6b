import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../../src/core/ports/container-runtime.js';
import { Backlog } from '../../../../src/core/services/backlog.js';

const line = (n: number): LogLine => ({ stream: 'stdout', ts: String(n), text: `line ${n}` });

describe('Backlog', () => {
  it('GIVEN fewer lines than its capacity THEN it returns them all, oldest first', () => {
    const backlog = new Backlog(5);
    for (const n of [1, 2, 3]) backlog.add(line(n));
    expect(backlog.lines().map((l) => l.text)).toEqual(['line 1', 'line 2', 'line 3']);
  });

  it('GIVEN more lines than its capacity THEN it keeps the last ones in order', () => {
    const backlog = new Backlog(3);
    for (let n = 1; n <= 10; n += 1) backlog.add(line(n));
    expect(backlog.lines().map((l) => l.text)).toEqual(['line 8', 'line 9', 'line 10']);
  });

  it('GIVEN lines longer in all than its text limit THEN it keeps the last ones that fit, and always the newest', () => {
    const backlog = new Backlog(100, 10);
    for (const text of ['aaaa', 'bbbb', 'cccc', 'dd']) backlog.add({ stream: 'stdout', ts: '', text });
    expect(backlog.lines().map((l) => l.text)).toEqual(['bbbb', 'cccc', 'dd']);
    backlog.add({ stream: 'stdout', ts: '', text: 'e'.repeat(50) });
    expect(backlog.lines().map((l) => l.text)).toEqual(['e'.repeat(50)]);
    for (let n = 1; n <= 300; n += 1) backlog.add(line(n % 10));
    expect(backlog.lines().map((l) => l.text)).toEqual(['line 0']);
  });

  it('GIVEN capacity 0 THEN it keeps nothing', () => {
    const backlog = new Backlog(0);
    backlog.add(line(1));
    expect(backlog.lines()).toEqual([]);
  });
});
