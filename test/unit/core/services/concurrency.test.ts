import { describe, expect, it } from 'vitest';
import { mapWithConcurrency } from '../../../../src/core/services/concurrency.js';

/** Work whose items finish when the test says, noting how many run at once. */
function gatedWork() {
  const waiting = new Map<number, () => void>();
  let running = 0;
  let most = 0;
  const work = async (item: number) => {
    running += 1;
    most = Math.max(most, running);
    await new Promise<void>((resolve) => waiting.set(item, resolve));
    running -= 1;
    return item * 10;
  };
  /** Lets the work started so far reach its gate. */
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  const finish = async (item: number) => {
    await settle();
    const release = waiting.get(item);
    if (!release) throw new Error(`item ${item} has not started`);
    release();
    await settle();
  };
  return { work, finish, settle, started: () => [...waiting.keys()], most: () => most };
}

describe('mapWithConcurrency', () => {
  it('GIVEN a limit of 2 THEN two items run at once, the next starts as one ends, and results keep the items’ order', async () => {
    const gate = gatedWork();
    const all = mapWithConcurrency([1, 2, 3, 4], 2, gate.work);
    await gate.settle();
    expect(gate.started()).toEqual([1, 2]);
    await gate.finish(2);
    expect(gate.started()).toEqual([1, 2, 3]);
    for (const item of [3, 1, 4]) await gate.finish(item);
    expect(await all).toEqual([10, 20, 30, 40]);
    expect(gate.most()).toBe(2);
  });

  it.each([0, -3])('GIVEN a limit of %s THEN items still run, one at a time', async (limit) => {
    const gate = gatedWork();
    const all = mapWithConcurrency([1, 2], limit, gate.work);
    await gate.finish(1);
    await gate.finish(2);
    expect(await all).toEqual([10, 20]);
    expect(gate.most()).toBe(1);
  });

  it('GIVEN a limit above the items THEN every item runs at once, and none twice', async () => {
    const gate = gatedWork();
    const all = mapWithConcurrency([1, 2], 8, gate.work);
    await gate.settle();
    expect(gate.started()).toEqual([1, 2]);
    await gate.finish(1);
    await gate.finish(2);
    expect(await all).toEqual([10, 20]);
  });

  it('GIVEN no items THEN no work and no results', async () => {
    expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([]);
  });
});
