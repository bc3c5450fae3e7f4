import type { RowDiff } from './bisect';
import { checkResult, type CheckResult, type Discrepancy } from './model';

/**
 * Completeness of a live entity (partner, user, customer): every legacy key is loaded,
 * quarantined or skipped exactly once, and nothing else is there.
 */
export function keySetCompleteness(
  entity: string,
  partnerId: number,
  legacyKeys: number[],
  accounted: { loaded: number[]; quarantined: number[]; skipped: number[] },
): CheckResult {
  const base = { check: 'completeness' as const, entity, partnerId };
  const where = new Map<number, string[]>();
  for (const [place, keys] of Object.entries(accounted) as Array<[string, number[]]>) {
    for (const key of keys) where.set(key, [...(where.get(key) ?? []), place]);
  }
  const legacy = new Set(legacyKeys);
  const discrepancies: Discrepancy[] = [];
  for (const key of legacyKeys) {
    const places = where.get(key);
    if (!places)
      discrepancies.push({
        ...base,
        legacyKey: String(key),
        kind: 'missing',
        detail: 'legacy row neither loaded, quarantined nor skipped',
      });
    else if (places.length > 1)
      discrepancies.push({
        ...base,
        legacyKey: String(key),
        kind: 'duplicate',
        detail: `counted more than once: ${places.join(' and ')}`,
      });
  }
  for (const [key, places] of where) {
    if (!legacy.has(key))
      discrepancies.push({
        ...base,
        legacyKey: String(key),
        kind: 'extra',
        detail: `${places.join(' and ')} with no legacy row`,
      });
  }
  const { loaded, quarantined, skipped } = accounted;
  return checkResult(
    {
      ...base,
      expected: `${legacyKeys.length} legacy rows`,
      actual: `${loaded.length} loaded + ${quarantined.length} quarantined + ${skipped.length} skipped`,
      facts: { legacyRows: legacyKeys.length, targetRows: loaded.length + quarantined.length + skipped.length },
    },
    discrepancies,
  );
}

/** Completeness of an archive entity: every legacy row archived (none quarantined or skipped), key sets equal. */
export function archiveCompleteness(
  entity: string,
  partnerId: number,
  diff: RowDiff,
  problems: { quarantined: number; skipped: number },
): CheckResult {
  const base = { check: 'completeness' as const, entity, partnerId };
  const discrepancies: Discrepancy[] = [
    ...diff.missing.map((key): Discrepancy => ({
      ...base,
      legacyKey: String(key),
      kind: 'missing',
      detail: 'legacy row not archived',
    })),
    ...diff.extra.map((key): Discrepancy => ({
      ...base,
      legacyKey: String(key),
      kind: 'extra',
      detail: 'archived row with no legacy row',
    })),
  ];
  const accountedFor = diff.target.count + problems.quarantined + problems.skipped;
  if (accountedFor !== diff.legacy.count) {
    discrepancies.push({
      ...base,
      legacyKey: null,
      kind: 'count',
      detail: `legacy ${diff.legacy.count} rows, accounted for ${accountedFor}`,
    });
  }
  return checkResult(
    {
      ...base,
      expected: `${diff.legacy.count} legacy rows`,
      actual: `${diff.target.count} loaded + ${problems.quarantined} quarantined + ${problems.skipped} skipped`,
      facts: { legacyRows: diff.legacy.count, targetRows: accountedFor },
    },
    discrepancies,
  );
}
