import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FileResult, writeMutationReport } from '../../../scripts/mutation-report.mjs';

const file: FileResult = {
  file: 'src/web/auth/authenticator.ts',
  killed: 8,
  timeout: 0,
  survived: 2,
  noCoverage: 0,
  errors: 0,
  equivalent: 0,
  staticOnly: 0,
  equivalentMutants: [],
  survivors: [
    { at: '71:38', mutator: 'ConditionalExpression', replacement: 'true', status: 'Survived' },
    { at: '80:5', mutator: 'BlockStatement', replacement: '{}', status: 'Survived' },
  ],
};

function reportWith(unmarkable: Parameters<typeof writeMutationReport>[3]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mutation-report-')), 'mutation.md');
  const result = { folder: 'web/auth', finishedAt: '2026-11-30T18:00:00.000Z', seconds: 61, files: [file] };
  writeMutationReport(path, [result], { 'web/auth': { break: 80 } }, unmarkable);
  return readFileSync(path, 'utf8');
}

const survivorsLeft = (report: string) => report.slice(report.indexOf('## Survivors left'));

describe('the mutation report', () => {
  it('GIVEN a survivor known equivalent THEN it is listed with its reason, not among the survivors left, and still counts', () => {
    const report = reportWith([
      {
        at: 'src/web/auth/authenticator.ts:71:38',
        mutator: 'ConditionalExpression',
        replacement: 'true',
        reason: 'no lease, no link',
      },
    ]);
    expect(report).toContain(
      '- src/web/auth/authenticator.ts:71:38 ConditionalExpression `true`: no lease, no link',
    );
    expect(survivorsLeft(report)).not.toContain('71:38');
    expect(survivorsLeft(report)).toContain(
      '- src/web/auth/authenticator.ts:80:5 BlockStatement `{}` (survived)',
    );
    expect(report).toContain(
      '| src/web/auth | 80.0 % | 80 % | 8 | 0 | 2 | 0 | 0 | 2026-11-30 18:00 | 1 min 1 s |',
    );
  });

  it('GIVEN a known equivalent whose line moved THEN the mutant there is a survivor again', () => {
    const report = reportWith([
      {
        at: 'src/web/auth/authenticator.ts:70:38',
        mutator: 'ConditionalExpression',
        replacement: 'true',
        reason: 'moved',
      },
    ]);
    expect(report).not.toContain('moved');
    expect(survivorsLeft(report)).toContain('authenticator.ts:71:38 ConditionalExpression `true` (survived)');
  });
});
