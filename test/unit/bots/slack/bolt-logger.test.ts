import { describe, expect, it } from 'vitest';
import { boltLogger } from '../../../../src/bots/slack/bolt-logger.js';
import { RecordingLogger } from '../../../doubles/recording-logger.js';

describe("boltLogger: Bolt's log lines in our structured log", () => {
  it('GIVEN Bolt logs a message with an error THEN one line at that level, with the component and the stack', () => {
    const logger = new RecordingLogger();
    const bolt = boltLogger(logger);
    bolt.setName('socket-mode');

    bolt.error('Failed to retrieve a new WSS URL', new Error('invalid_auth'), { attempt: 2 });

    expect(logger.lines).toEqual([
      {
        level: 'error',
        fields: { component: 'socket-mode', error: expect.stringContaining('invalid_auth') },
        message: 'Failed to retrieve a new WSS URL invalid_auth {"attempt":2}',
      },
    ]);
  });
});
