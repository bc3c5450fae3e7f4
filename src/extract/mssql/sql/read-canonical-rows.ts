import { CANONICAL, toCanonicalRow, type ArchiveEntity, type CanonicalRow } from '../../../core/canonical';
import { bracket, tableName } from '../columns';
import { canonicalColumnExpression } from './canonical-sql';
import type { MssqlQuery, MssqlQueryable } from './query';
import { selectRows } from './query';

/** Keys travel as one JSON array parameter (no 2100-parameter limit). */
export function buildReadCanonicalRowsQuery(entity: ArchiveEntity, keys: number[]): MssqlQuery {
  const spec = CANONICAL[entity];
  const columns = spec.columns.map((column, index) => `${canonicalColumnExpression(spec.legacyTable, column, 't')} AS [c${index}]`).join(', ');
  const key = `t.${bracket(spec.legacyKey)}`;
  return {
    sql: `SELECT ${key} AS [k], ${columns} FROM ${tableName(spec.legacyTable)} AS t`
      + ` WHERE ${key} IN (SELECT CONVERT(int, [value]) FROM OPENJSON(@keys)) ORDER BY ${key}`,
    params: [{ name: 'keys', type: 'NVarCharMax', value: JSON.stringify(keys) }],
  };
}

export async function readCanonicalRows(db: MssqlQueryable, entity: ArchiveEntity, keys: number[]): Promise<CanonicalRow[]> {
  if (keys.length === 0) return [];
  const rows = await selectRows(db, buildReadCanonicalRowsQuery(entity, keys));
  return rows.map((row) => toCanonicalRow(entity, row));
}
