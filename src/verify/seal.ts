import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level and no white space: the same value gives the
 * same bytes whoever serialises it (PostgreSQL's jsonb keeps no key order, so the seal cannot
 * rely on one). Only strings, integers, booleans, null, arrays and objects are expected.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new RangeError('non-finite number in a sealed report');
    return JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The seal of a report body: sha256 (hex) of its canonical JSON, which includes the previous seal. */
export function sealOf(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}

/** A stored report as the chain check reads it. */
export interface StoredReport {
  id: string;
  runId: string;
  body: unknown;
  sha256: string;
  previousSha256: string | null;
}

export type ChainVerdict =
  { ok: true; reports: number } | { ok: false; reportId: string; runId: string; problem: string };

/**
 * Walks the reports in the order they were sealed: each body must hash to its stored sha256,
 * name the previous report's sha256 (in its body and beside it), and the first must name none.
 * The first report that breaks this is the one altered, or the one after a removed report.
 */
export function verifyChain(reports: StoredReport[]): ChainVerdict {
  let previous: string | null = null;
  for (const report of reports) {
    const fail = (problem: string): ChainVerdict => ({ ok: false, reportId: report.id, runId: report.runId, problem });
    const bodyPrevious = (report.body as { previousSha256?: unknown } | null)?.previousSha256 ?? null;
    if (sealOf(report.body) !== report.sha256)
      return fail('its body does not hash to its stored sha256: the report was altered');
    if (report.previousSha256 !== previous || bodyPrevious !== previous) {
      return fail(
        previous === null
          ? 'it names a previous report, but none precedes it: an earlier report was removed'
          : 'it does not name the sha256 of the report before it: a report in between was removed or altered',
      );
    }
    previous = report.sha256;
  }
  return { ok: true, reports: reports.length };
}
