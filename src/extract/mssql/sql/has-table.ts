import type { MssqlQuery, MssqlQueryable } from './query';
import { selectRows } from './query';

export function buildHasTableQuery(table: string): MssqlQuery {
  return {
    sql: "SELECT CASE WHEN OBJECT_ID(N'dbo.' + @table, N'U') IS NULL THEN 0 ELSE 1 END AS [present]",
    params: [{ name: 'table', type: 'NVarCharMax', value: table }],
  };
}

export async function hasTable(db: MssqlQueryable, table: string): Promise<boolean> {
  const rows = await selectRows(db, buildHasTableQuery(table));
  return Number(rows[0].present) === 1;
}
