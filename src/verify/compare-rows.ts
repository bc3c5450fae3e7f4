import { checkResult, type CheckName, type CheckResult, type Discrepancy } from './model';

/** Expected rows of one marketplace table with how to name them. */
export interface ExpectedTable<Row> {
  check: CheckName;
  entity: string;
  table: string;
  expected: Row[];
  actual: Row[];
  /** Columns compared (others, such as invitation timestamps the cutover sets, are not). */
  columns: ReadonlyArray<keyof Row & string>;
  /** The marketplace id of a row. */
  idOf(row: Row): string;
  /** The legacy key a row comes from. */
  legacyKeyOf(row: Row): string | null;
}

/** Text form of a value for comparing and reporting: arrays and objects as JSON, NULL as null. */
export function valueText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Compares the rows the mapping says must exist with the stored ones, by marketplace id:
 * a missing row, an extra row, or the columns that differ with both values.
 */
export function compareExpectedRows<Row>(partnerId: number, spec: ExpectedTable<Row>): CheckResult {
  const base = { check: spec.check, entity: spec.entity, partnerId };
  const actualById = new Map(spec.actual.map((row) => [spec.idOf(row), row]));
  const expectedIds = new Set<string>();
  const discrepancies: Discrepancy[] = [];
  for (const row of spec.expected) {
    const id = spec.idOf(row);
    expectedIds.add(id);
    const stored = actualById.get(id);
    if (!stored) {
      discrepancies.push({ ...base, legacyKey: spec.legacyKeyOf(row), marketplaceId: id, kind: 'missing', detail: `${spec.table} row missing` });
      continue;
    }
    const columns = spec.columns
      .map((column) => ({ column, legacy: valueText(row[column]), target: valueText(stored[column]) }))
      .filter((difference) => difference.legacy !== difference.target);
    if (columns.length > 0) {
      discrepancies.push({
        ...base, legacyKey: spec.legacyKeyOf(row), marketplaceId: id, kind: 'changed', columns,
        detail: `${spec.table} differs in ${columns.map((c) => c.column).join(', ')}`,
      });
    }
  }
  for (const row of spec.actual) {
    const id = spec.idOf(row);
    if (!expectedIds.has(id)) {
      discrepancies.push({ ...base, legacyKey: spec.legacyKeyOf(row), marketplaceId: id, kind: 'extra', detail: `${spec.table} row the mapping does not produce` });
    }
  }
  return checkResult({ ...base, expected: `${spec.expected.length} ${spec.table}`, actual: `${spec.actual.length} ${spec.table}` }, discrepancies);
}
