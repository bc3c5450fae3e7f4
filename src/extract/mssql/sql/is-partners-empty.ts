import { oneLine } from '../../one-line';
import { hasTable } from './has-table';
import type { MssqlQueryable } from './query';
import { selectRows } from './query';

const PARTNERS_HAVE_ROWS_SQL = oneLine`
  SELECT CASE WHEN EXISTS (SELECT 1 FROM [dbo].[Partners]) THEN 1 ELSE 0 END AS [hasRows]`;

export async function isPartnersEmpty(db: MssqlQueryable): Promise<boolean> {
  // Two statements: a batch naming a missing table fails even behind a guard.
  if (!(await hasTable(db, 'Partners'))) return true;
  const rows = await selectRows(db, { sql: PARTNERS_HAVE_ROWS_SQL, params: [] });
  return Number(rows[0].hasRows) === 0;
}
