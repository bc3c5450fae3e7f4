import type { MariaDbQueryable } from './query';

/** Same character set and collation as the DDL's tables (case-insensitive, like SQL Server's CI_AS). */
export function buildCreateDatabaseSql(database: string): string {
  const name = `\`${database.replace(/`/g, '``')}\``;
  return `CREATE DATABASE IF NOT EXISTS ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;
}

export async function createDatabase(db: MariaDbQueryable, database: string): Promise<void> {
  await db.query(buildCreateDatabaseSql(database));
}
