import { describe, expect, it } from 'vitest';
import { LinkTokens } from '../../../../src/core/links/link-tokens.js';
import { redactLinkTokens } from '../../../../src/core/links/redact-links.js';
import { redactIn } from '../../../../src/core/redact.js';

const tokens = new LinkTokens('s'.repeat(32), () => 0);
const token = tokens.sign({ leaseId: 'abcdefghjk', owner: 'slack:T1:U1', scope: 'logs', exp: 1e13 });
const url = `https://lease.example.com/logs/abcdefghjk?token=${token}`;

describe('no signed link in the log', () => {
  it('GIVEN a signed URL in a message THEN its token is gone and the rest stays readable', () => {
    expect(redactLinkTokens(`opened ${url} just now`)).toBe(
      'opened https://lease.example.com/logs/abcdefghjk?token=[redacted] just now',
    );
  });

  it('GIVEN a token outside a URL, or any token= value THEN it is gone', () => {
    expect(redactLinkTokens(`cookie cl_session=${token};`)).toBe('cookie cl_session=[redacted];');
    expect(redactLinkTokens('/x?a=1&token=anything-at-all&b=2')).toBe('/x?a=1&token=[redacted]&b=2');
    expect(redactLinkTokens(encodeURIComponent(url))).not.toContain(token.split('.')[2]);
  });

  it('GIVEN log fields holding links at any depth, in arrays, JSON text and errors THEN none survives', () => {
    const fields = {
      leaseId: 'abcdefghjk',
      count: 3,
      blocks: [{ elements: [{ url }] }],
      body: JSON.stringify({ blocks: [{ url }] }),
      error: new Error(`could not post ${url}`),
    };
    const redacted = redactIn(fields, redactLinkTokens);
    expect(JSON.stringify(redacted)).not.toContain(token.split('.')[2]);
    expect(redacted).toMatchObject({ leaseId: 'abcdefghjk', count: 3 });
  });
});
