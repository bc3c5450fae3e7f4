import { CANONICAL, type ArchiveEntity } from '../../../core/canonical';
import { oneLine } from '../../one-line';
import { bracket, tableName } from '../columns';
import { canonicalColumnExpression } from './canonical-sql';
import type { MssqlQuery } from './query';

/** Keys travel as one JSON array parameter (no 2100-parameter limit). */
export function buildReadCanonicalRowsQuery(entity: ArchiveEntity, keys: number[]): MssqlQuery {
  const spec = CANONICAL[entity];
  const columns = spec.columns.map(
    (column, index) => `${canonicalColumnExpression(spec.legacyTable, column, 't')} AS [c${index}]`,
  );
  const key = `t.${bracket(spec.legacyKey)}`;
  return {
    sql: oneLine`
      SELECT ${key} AS [k], ${columns.join(', ')} FROM ${tableName(spec.legacyTable)} AS t
      WHERE ${key} IN (SELECT CONVERT(int, [value]) FROM OPENJSON(@keys)) ORDER BY ${key}`,
    params: [{ name: 'keys', type: 'NVarCharMax', value: JSON.stringify(keys) }],
  };
}
