import { describe, expect, it } from 'vitest';
import { OutputCapture } from '../../../../src/core/services/output-capture.js';

describe('the output a command keeps', () => {
  it('GIVEN more than the cap THEN the first bytes are kept, the rest counted, a character cut in half dropped', () => {
    const capture = new OutputCapture(10);
    capture.add(Buffer.from('abcdefgh'));
    capture.add(Buffer.from('日本'));
    capture.add(Buffer.from('more'));
    expect(capture.truncated).toBe(true);
    expect(capture.total).toBe(8 + 6 + 4);
    expect(capture.text()).toBe('abcdefgh');
  });

  it('GIVEN a character split between two chunks under the cap THEN it is whole', () => {
    const capture = new OutputCapture(100);
    const bytes = Buffer.from('ü🚀');
    capture.add(bytes.subarray(0, 1));
    capture.add(bytes.subarray(1, 4));
    capture.add(bytes.subarray(4));
    expect([capture.text(), capture.truncated]).toEqual(['ü🚀', false]);
  });
});
