import { describe, expect, it } from 'vitest';
import { redactCredentials, redactIn } from '../../../src/core/redact.js';

describe('credentials are never shown', () => {
  it.each([
    ['redis://:s3cret@10.0.0.5:6379/2', 'redis://***@10.0.0.5:6379/2'],
    ['rediss://ops:s3cret@redis.example.com:6380', 'rediss://***@redis.example.com:6380'],
    [
      'connect to redis://ops:s3cret@h:1 failed; retry redis://ops:s3cret@h:2',
      'connect to redis://***@h:1 failed; retry redis://***@h:2',
    ],
    ['{"url":"https://u:p@example.com/x"}', '{"url":"https://***@example.com/x"}'],
    ['redis://10.0.0.5:6379', 'redis://10.0.0.5:6379'],
    ['unix:///run/redis.sock', 'unix:///run/redis.sock'],
    ['mail alice@example.com', 'mail alice@example.com'],
  ])('GIVEN %s THEN %s', (text, shown) => {
    expect(redactCredentials(text)).toBe(shown);
  });

  it('GIVEN a log line with nested fields and an error THEN every string is redacted, numbers and flags are kept', () => {
    const line = redactIn(
      {
        redis: 'redis://:pw@h:1',
        nested: { list: ['redis://u:pw@h:2', 3], ok: true },
        error: new Error('AUTH failed for redis://u:pw@h:3'),
      },
      redactCredentials,
    ) as { redis: string; nested: { list: unknown[]; ok: boolean }; error: { message: string } };
    expect(line.redis).toBe('redis://***@h:1');
    expect(line.nested).toEqual({ list: ['redis://***@h:2', 3], ok: true });
    expect(line.error.message).toBe('AUTH failed for redis://***@h:3');
    expect(JSON.stringify(line)).not.toContain('pw');
  });
});
