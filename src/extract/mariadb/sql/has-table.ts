import type { MariaDbQuery, MariaDbQueryable } from './query';
import { selectRows } from './query';

export function buildHasTableQuery(table: string): MariaDbQuery {
  return {
    sql: 'SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
    params: [table],
  };
}

export async function hasTable(db: MariaDbQueryable, table: string): Promise<boolean> {
  const rows = await selectRows(db, buildHasTableQuery(table));
  return Number(rows[0].n) > 0;
}
