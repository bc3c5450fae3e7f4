import { CANONICAL, type ArchiveEntity } from '../../../core/canonical';
import { oneLine } from '../../one-line';
import { bracket, tableName } from '../columns';
import { canonicalColumnExpression } from './canonical-sql';
import { idsIn, type MssqlParam, type MssqlQuery } from './query';

/** Keys travel as one XML parameter (idsIn: no 2100-parameter limit). */
export function buildReadCanonicalRowsQuery(entity: ArchiveEntity, keys: number[]): MssqlQuery {
  const spec = CANONICAL[entity];
  const columns = spec.columns.map(
    (column, index) => `${canonicalColumnExpression(spec.legacyTable, column, 't')} AS [c${index}]`,
  );
  const key = `t.${bracket(spec.legacyKey)}`;
  const params: MssqlParam[] = [];
  const inKeys = idsIn('keys', keys, params);
  return {
    sql: oneLine`
      SELECT ${key} AS [k], ${columns.join(', ')} FROM ${tableName(spec.legacyTable)} AS t
      WHERE ${key} ${inKeys} ORDER BY ${key}`,
    params,
  };
}
