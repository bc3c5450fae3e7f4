import { hasTable } from './has-table';
import type { MariaDbQueryable } from './query';
import { selectRows } from './query';

export async function isPartnersEmpty(db: MariaDbQueryable): Promise<boolean> {
  if (!(await hasTable(db, 'Partners'))) return true;
  const rows = await selectRows(db, { sql: 'SELECT EXISTS (SELECT 1 FROM `Partners`) AS has_rows', params: [] });
  return Number(rows[0].has_rows) === 0;
}
