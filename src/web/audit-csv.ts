import type { AuditEntry } from '../core/domain/audit.js';

export const AUDIT_CSV_COLUMNS = [
  'time',
  'actor',
  'platform',
  'action',
  'lease',
  'owner',
  'team',
  'image',
  'params',
  'outcome',
] as const;

/**
 * A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP):
 * such a cell is prefixed with `'`, which spreadsheets show as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: always quoted (commas, quotes and line breaks stay inside), never a formula. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** The entries as CSV (RFC 4180: CRLF line ends), a header first. */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const rows = entries.map((entry) =>
    [
      new Date(entry.at).toISOString(),
      entry.actor,
      entry.platform,
      entry.action,
      entry.leaseId,
      entry.owner,
      entry.team,
      entry.image,
      JSON.stringify(entry.params),
      entry.outcome,
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[AUDIT_CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
