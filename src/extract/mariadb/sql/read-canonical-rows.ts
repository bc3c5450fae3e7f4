import { CANONICAL, toCanonicalRow, type ArchiveEntity, type CanonicalRow } from '../../../core/canonical';
import { quoteName } from '../columns';
import { canonicalColumnExpression } from './canonical-sql';
import type { MariaDbQuery, MariaDbQueryable } from './query';
import { selectRows } from './query';

/** The canonical column texts of the rows with these keys (whatever their partner or RowVer). */
export function buildReadCanonicalRowsQuery(entity: ArchiveEntity, keys: number[]): MariaDbQuery {
  const spec = CANONICAL[entity];
  const columns = spec.columns.map((column, index) => `${canonicalColumnExpression(column, 't')} AS c${index}`).join(', ');
  const key = `t.${quoteName(spec.legacyKey)}`;
  return { sql: `SELECT ${key} AS k, ${columns} FROM ${quoteName(spec.legacyTable)} t WHERE ${key} IN (?) ORDER BY ${key}`, params: [keys] };
}

export async function readCanonicalRows(db: MariaDbQueryable, entity: ArchiveEntity, keys: number[]): Promise<CanonicalRow[]> {
  if (keys.length === 0) return [];
  const rows = await selectRows(db, buildReadCanonicalRowsQuery(entity, keys));
  return rows.map((row) => toCanonicalRow(entity, row));
}
