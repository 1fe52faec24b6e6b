import { describe, expect, it } from 'vitest';
import { auditCsv, csvCell } from '../../../src/web/audit-csv.js';

describe('auditCsv: the audit trail for spreadsheets, never a formula', () => {
  it.each([
    ['plain', '"plain"'],
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['+1+1', `"'+1+1"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\tTAB', `"'\tTAB"`],
    ['a,b\r\nc', '"a,b\r\nc"'],
    ['', '""'],
  ])('GIVEN the cell %j THEN %s', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('GIVEN entries THEN a header, then one CRLF row each with the time in ISO 8601 and params as JSON', () => {
    const csv = auditCsv([
      {
        id: '1764460800000-0',
        at: Date.parse('2026-11-30T00:00:00Z'),
        actor: 'slack:T1:U1',
        platform: 'slack',
        action: 'stop',
        leaseId: '7k2m9x4qpz',
        owner: '=cmd|/c calc',
        team: 'slack:T1',
        image: 'busybox',
        params: { reason: 'done, "really"' },
        outcome: 'removed',
      },
    ]);
    expect(csv).toBe(
      'time,actor,platform,action,lease,owner,team,image,params,outcome\r\n' +
        `"2026-11-30T00:00:00.000Z","slack:T1:U1","slack","stop","7k2m9x4qpz","'=cmd|/c calc","slack:T1","busybox","{""reason"":""done, \\""really\\""""}","removed"\r\n`,
    );
  });
});
