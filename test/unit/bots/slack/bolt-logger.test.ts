import { describe, expect, it } from 'vitest';
import { boltLogger } from '../../../../src/bots/slack/bolt-logger.js';
import type { Logger } from '../../../../src/core/ports/logger.js';

describe("boltLogger: Bolt's log lines in our structured log", () => {
  it('GIVEN Bolt logs a message with an error THEN one line at that level, with the component and the stack', () => {
    const lines: Array<{ level: string; fields: object; message?: string }> = [];
    const at = (level: string) => (fields: object, message?: string) =>
      lines.push({ level, fields, message });
    const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
    const bolt = boltLogger(logger);
    bolt.setName('socket-mode');

    bolt.error('Failed to retrieve a new WSS URL', new Error('invalid_auth'), { attempt: 2 });

    expect(lines).toEqual([
      {
        level: 'error',
        fields: { component: 'socket-mode', error: expect.stringContaining('invalid_auth') },
        message: 'Failed to retrieve a new WSS URL invalid_auth {"attempt":2}',
      },
    ]);
  });
});
