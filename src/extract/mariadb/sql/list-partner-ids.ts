import type { MariaDbQuery, MariaDbQueryable } from './query';
import { selectRows } from './query';

export function buildListPartnerIdsQuery(options: { ids?: number[]; limit?: number } = {}): MariaDbQuery {
  const params: unknown[] = [];
  let sql = 'SELECT `PartnerId` FROM `Partners`';
  if (options.ids) {
    params.push(options.ids);
    sql += ' WHERE `PartnerId` IN (?)';
  }
  sql += ' ORDER BY `PartnerId`';
  if (options.limit !== undefined) {
    params.push(options.limit);
    sql += ' LIMIT ?';
  }
  return { sql, params };
}

export async function listPartnerIds(db: MariaDbQueryable, options: { ids?: number[]; limit?: number } = {}): Promise<number[]> {
  // `IN ()` is not SQL: no ids asked, none found.
  if (options.ids && options.ids.length === 0) return [];
  const rows = await selectRows(db, buildListPartnerIdsQuery(options));
  return rows.map((row) => Number(row.PartnerId));
}
