import type { MariaDbQueryable } from './query';
import { selectRows } from './query';

export async function hasTable(db: MariaDbQueryable, table: string): Promise<boolean> {
  const rows = await selectRows(db, {
    sql: 'SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
    params: [table],
  });
  return Number(rows[0].n) > 0;
}
