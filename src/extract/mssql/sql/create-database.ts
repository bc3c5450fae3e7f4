import type { MssqlQuery, MssqlQueryable } from './query';
import { execute } from './query';

/** CREATE DATABASE takes no parameter: QUOTENAME builds the name server-side, safely. */
export function buildCreateDatabaseQuery(database: string): MssqlQuery {
  return {
    sql: "IF DB_ID(@database) IS NULL EXEC (N'CREATE DATABASE ' + QUOTENAME(@database))",
    params: [{ name: 'database', type: 'NVarCharMax', value: database }],
  };
}

export async function createDatabase(db: MssqlQueryable, database: string): Promise<void> {
  await execute(db, buildCreateDatabaseQuery(database));
}
