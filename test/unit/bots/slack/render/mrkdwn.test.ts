import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, lineToMrkdwn, slackDate } from '../../../../../src/bots/slack/render/mrkdwn.js';

const NOON = Date.parse('2026-11-29T12:00:00Z');

describe('mrkdwn: inline pieces in Slack markup', () => {
  it('GIVEN a full time THEN <!date^…^{date_short_pretty} at {time}|UTC fallback>, shown in each reader’s zone', () => {
    expect(slackDate(NOON + 90 * 60_000, 'full', NOON)).toBe(
      `<!date^${NOON / 1000 + 5400}^{date_short_pretty} at {time}|29 Nov 2026, 13:30 UTC>`,
    );
  });

  it('GIVEN a relative time THEN {ago} with a fallback relative to rendering', () => {
    expect(slackDate(NOON + 10 * 60_000, 'relative', NOON)).toBe(
      `<!date^${NOON / 1000 + 600}^{ago}|in 10 min>`,
    );
    expect(slackDate(NOON - 3 * 3_600_000, 'relative', NOON)).toBe(
      `<!date^${NOON / 1000 - 10_800}^{ago}|3 h ago>`,
    );
  });

  it('GIVEN strong and code pieces THEN *bold* and `code`, whose own markers cannot break out', () => {
    expect(lineToMrkdwn(['Lease ', { code: 'a`b' }, ' of ', { strong: 'bu*sy' }], NOON)).toBe(
      "Lease `a'b` of *busy*",
    );
  });

  it('GIVEN &, < and > THEN HTML entities, nothing else touched', () => {
    expect(escapeMrkdwn('a < b && c > "d"')).toBe('a &lt; b &amp;&amp; c &gt; "d"');
  });
});
