import { createHmac } from 'node:crypto';
import { redactEmail, redactUrl } from '../core/redact';
import type { Report } from './report';

/** Columns whose values are personal data, on either side: shown as a mark and a short hash. */
export const PERSONAL_COLUMNS: ReadonlySet<string> = new Set([
  'email',
  'contact_email',
  'created_by',
  'first_name',
  'last_name',
  'Email',
  'PrimaryEmail',
  'ContactEmail',
  'CreatedBy',
  'FirstName',
  'LastName',
]);

/** As `src/core/redact.ts` finds an address in a text. */
const EMAIL = /[^@\s"'<>(),;:/*[\]]+@[^@\s"'<>(),;:/*]*\.[^@\s"'<>(),;:/*]+/g;

/**
 * Hides personal values while keeping them comparable: the same value gives the same short hash
 * within one report (keyed by it, so a hash cannot be looked up in a list of known addresses).
 */
export class ReportRedactor {
  constructor(private readonly key: string) {}

  /** A short keyed hash of a value: equal values, equal hashes. */
  hash(value: string): string {
    return createHmac('sha256', this.key).update(value).digest('hex').slice(0, 8);
  }

  /** A personal value as shown: `redacted #1a2b3c4d` (NULL stays NULL, empty stays empty). */
  value(value: string | null): string | null {
    if (value === null || value === '') return value;
    return `redacted #${this.hash(value)}`;
  }

  /** A text with every e-mail address masked to its domain and hashed, and URL credentials masked. */
  text(text: string): string {
    return redactUrl(text).replace(EMAIL, (match) => `${redactEmail(match)} #${this.hash(match)}`);
  }
}

/**
 * The report as a rendering shows it to whoever may not see personal data: e-mail addresses in
 * any text masked (domain kept) with a short hash, values of personal columns replaced by a mark
 * and a short hash, so a reader still sees that, and where, legacy and target differ.
 */
export function redactReport(report: Report, key: string): Report {
  const redactor = new ReportRedactor(key);
  const text = (value: string) => redactor.text(value);
  const nullableText = (value: string | null) => (value === null ? null : redactor.text(value));
  const groups = (list: Report['quarantine']) =>
    list.map((group) => ({
      ...group,
      examples: group.examples.map((example) => ({
        ...example,
        legacyKey: text(example.legacyKey),
        detail: nullableText(example.detail),
      })),
    }));
  return {
    ...report,
    checks: report.checks.map((check) => ({ ...check, expected: text(check.expected), actual: text(check.actual) })),
    discrepancies: report.discrepancies.map((d) => ({
      ...d,
      legacyKey: nullableText(d.legacyKey),
      detail: text(d.detail),
      ...(d.columns
        ? {
            columns: d.columns.map((column) =>
              PERSONAL_COLUMNS.has(column.column)
                ? {
                    column: column.column,
                    legacy: redactor.value(column.legacy),
                    target: redactor.value(column.target),
                  }
                : { column: column.column, legacy: nullableText(column.legacy), target: nullableText(column.target) },
            ),
          }
        : {}),
    })),
    quarantine: groups(report.quarantine),
    skipped: groups(report.skipped),
    findings: groups(report.findings),
  };
}
