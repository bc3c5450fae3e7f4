import { canonicalText, RowHashSum, sameChecksum, type RangeChecksum } from '../core/canonical';
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
      discrepancies.push({
        ...base,
        legacyKey: spec.legacyKeyOf(row),
        marketplaceId: id,
        kind: 'missing',
        detail: `${spec.table} row missing`,
      });
      continue;
    }
    const columns = spec.columns
      .map((column) => ({ column, legacy: valueText(row[column]), target: valueText(stored[column]) }))
      .filter((difference) => difference.legacy !== difference.target);
    if (columns.length > 0) {
      discrepancies.push({
        ...base,
        legacyKey: spec.legacyKeyOf(row),
        marketplaceId: id,
        kind: 'changed',
        columns,
        detail: `${spec.table} differs in ${columns.map((c) => c.column).join(', ')}`,
      });
    }
  }
  for (const row of spec.actual) {
    const id = spec.idOf(row);
    if (!expectedIds.has(id)) {
      discrepancies.push({
        ...base,
        legacyKey: spec.legacyKeyOf(row),
        marketplaceId: id,
        kind: 'extra',
        detail: `${spec.table} row the mapping does not produce`,
      });
    }
  }
  return tableResult(partnerId, spec, spec.actual.length, discrepancies);
}

function tableResult<Row>(
  partnerId: number,
  spec: Omit<ExpectedTable<Row>, 'actual'>,
  stored: number,
  discrepancies: Discrepancy[],
): CheckResult {
  return checkResult(
    {
      check: spec.check,
      entity: spec.entity,
      partnerId,
      expected: `${spec.expected.length} ${spec.table}`,
      actual: `${stored} ${spec.table}`,
    },
    discrepancies,
  );
}

/** Count and exact sum of the row hashes of rows over `columns` (their valueText, NULL as core/canonical's marker). */
export function expectedRowsChecksum<Row>(
  rows: ReadonlyArray<Row>,
  columns: ReadonlyArray<keyof Row & string>,
): RangeChecksum {
  const sum = new RowHashSum();
  for (const row of rows) sum.add(canonicalText(columns.map((column) => valueText(row[column]))));
  return { count: rows.length, sum: sum.total(), minKey: null, maxKey: null };
}

/**
 * compareExpectedRows for a table compared by hash (`columns` including the id): when the stored
 * rows' checksum equals the expected rows', they are the same rows and the check passes without
 * reading them; otherwise the stored rows are read (`readStored`) and compared by id. Resolves
 * to the result only: a caller checking many partners at once holds every pending result until
 * the last partner's turn, and must not hold each partner's expected rows with it.
 */
export async function compareHashedRows<Row>(
  partnerId: number,
  spec: Omit<ExpectedTable<Row>, 'actual'>,
  stored: RangeChecksum,
  readStored: () => Promise<Row[]>,
): Promise<CheckResult> {
  if (sameChecksum(expectedRowsChecksum(spec.expected, spec.columns), stored))
    return tableResult(partnerId, spec, stored.count, []);
  return compareExpectedRows(partnerId, { ...spec, actual: await readStored() });
}
