import { describe, expect, it } from 'vitest';
import { notifyTargetFor } from '../../../src/web/notify-target.js';

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
