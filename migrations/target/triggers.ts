/** SQL that attaches the shared trigger functions of 0001 to a table. Shipped migrations use these: change one only by adding a new helper. */

/** updated_at follows every real UPDATE of a row. */
export function touchUpdatedAt(table: string): string {
  const name = `${table.split('.')[1]}_touch_updated_at`;
  return `CREATE OR REPLACE TRIGGER ${name} BEFORE UPDATE ON ${table}
    FOR EACH ROW EXECUTE FUNCTION migration.touch_updated_at()`;
}

/** UPDATE, DELETE and TRUNCATE of an archive table fail outside a declared load transaction, whoever runs them. */
export function guardArchiveWrite(table: string): string {
  const name = `${table.split('.')[1]}_guard_archive_write`;
  return `CREATE OR REPLACE TRIGGER ${name} BEFORE UPDATE OR DELETE OR TRUNCATE ON ${table}
    FOR EACH STATEMENT EXECUTE FUNCTION migration.guard_archive_write()`;
}
