import type { MariaDbQuery } from './query';

/** Ids travel as one array parameter, which mysql2 expands to a list of literals. */
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
