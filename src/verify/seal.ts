import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level and no white space: the same value gives the
 * same bytes whoever serialises it (PostgreSQL's jsonb keeps no key order, so the seal cannot
 * rely on one). Only strings, integers, booleans, null, arrays and objects are expected.
 */
export function canonicalJson(value: unknown): string {
  // JSON.stringify writes keys in the order an object holds them: a copy holding them sorted
  // gives the canonical text at native speed (a report of tens of thousands of checks in a
  // fraction of the time). Keys that are array indices are always held first, in numeric order,
  // whatever the order they were added in (and `__proto__` cannot be added as a key): a value
  // with one is written key by key instead.
  const sorted = sortedCopy(value);
  return sorted === UNSORTABLE ? canonicalJsonByKeys(value) : JSON.stringify(sorted);
}

const UNSORTABLE = Symbol('unsortable');
const INDEX_LIKE = /^(?:0|[1-9]\d*)$/;
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `value` with every object's keys in sorted order (undefined values left out), or UNSORTABLE. */
function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new RangeError('non-finite number in a sealed report');
    // Anything but a string, number, boolean or null is written as null, as JSON.stringify would in an array.
    return value === undefined || typeof value === 'function' || typeof value === 'symbol' ? null : value;
  }
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = sortedCopy(value[i]);
      if (item === UNSORTABLE) return UNSORTABLE;
      copy[i] = item;
    }
    return copy;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort(byCodeUnits);
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    if (INDEX_LIKE.test(key) || key === '__proto__') return UNSORTABLE;
    const item = sortedCopy(v);
    if (item === UNSORTABLE) return UNSORTABLE;
    copy[key] = item;
  }
  return copy;
}

/** canonicalJson written key by key. */
function canonicalJsonByKeys(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new RangeError('non-finite number in a sealed report');
    return JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJsonByKeys).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => byCodeUnits(a, b));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJsonByKeys(v)}`).join(',')}}`;
}

/** The seal of a report body: sha256 (hex) of its canonical JSON, which includes the previous seal. */
export function sealOf(body: unknown): string {
  return sealOfCanonical(canonicalJson(body));
}

/** The seal of a report body from its canonical JSON (`canonicalJson` of the body). */
export function sealOfCanonical(canonical: string): string {
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
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
