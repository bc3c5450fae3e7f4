import { CANONICAL, type ArchiveEntity } from '../../../core/canonical';
import { oneLine } from '../../one-line';
import { quoteName } from '../columns';
import { canonicalColumnExpression } from './canonical-sql';
import type { MariaDbQuery } from './query';

/** The canonical column texts of the rows with these keys, whatever their partner or RowVer. */
export function buildReadCanonicalRowsQuery(entity: ArchiveEntity, keys: number[]): MariaDbQuery {
  const spec = CANONICAL[entity];
  const columns = spec.columns.map(
    (column, index) => `${canonicalColumnExpression(spec.legacyTable, column, 't')} AS c${index}`,
  );
  const key = `t.${quoteName(spec.legacyKey)}`;
  return {
    sql: oneLine`
      SELECT ${key} AS k, ${columns.join(', ')} FROM ${quoteName(spec.legacyTable)} t
      WHERE ${key} IN (?) ORDER BY ${key}`,
    params: [keys],
  };
}
