import type { Pool } from 'mysql2/promise';
import { ContractViolationError } from '../../../core/errors';
import type { LegacyTableName } from '../../source-reader';
import { COLUMNS, quoteName, type ColumnKind } from '../columns';
import type { MariaDbQuery } from './query';

/** Rows per INSERT: large enough to amortise the round trip, far below max_allowed_packet. */
const INSERT_CHUNK_ROWS = 2000;

const ISO_UTC = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)Z$/;

/** A contract value as MariaDB takes it: ISO-Z text to DATETIME text, booleans to 0/1. */
export function toMariaDbValue(kind: ColumnKind, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return value.toString();
  if ((kind === 'utc' || kind === 'local') && typeof value === 'string') {
    const match = ISO_UTC.exec(value);
    return match ? `${match[1]} ${match[2]}` : value;
  }
  return value;
}

/**
 * One multi-row INSERT for `rows`, with the columns any of them names. RowVer is left out: the
 * table's trigger sets it from RowVerSeq whatever is given.
 */
export function buildInsertRowsQuery(
  table: LegacyTableName,
  rows: ReadonlyArray<Record<string, unknown>>,
): MariaDbQuery {
  const known = new Map(COLUMNS[table].map((column) => [column.name, column.kind]));
  const named = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) named.add(name);
  for (const name of named) if (!known.has(name)) throw new ContractViolationError(`${table} has no column ${name}`);
  const columns = COLUMNS[table].filter((column) => column.name !== 'RowVer' && named.has(column.name));
  const values = rows.map((row) => columns.map((column) => toMariaDbValue(column.kind, row[column.name])));
  return {
    sql: `INSERT INTO ${quoteName(table)} (${columns.map((column) => quoteName(column.name)).join(', ')}) VALUES ?`,
    params: [values],
  };
}

/** Bulk insert in chunks of multi-row INSERTs on one connection, in one transaction. */
export async function insertRows(
  pool: Pool,
  table: LegacyTableName,
  rows: ReadonlyArray<Record<string, unknown>>,
): Promise<void> {
  const connection = await pool.getConnection();
  try {
    // One transaction: a failed chunk leaves no half-seeded table, and InnoDB commits once.
    await connection.beginTransaction();
    for (let start = 0; start < rows.length; start += INSERT_CHUNK_ROWS) {
      const query = buildInsertRowsQuery(table, rows.slice(start, start + INSERT_CHUNK_ROWS));
      await connection.query(query.sql, query.params);
    }
    await connection.commit();
  } catch (error) {
    await connection.rollback().catch(() => undefined);
    throw error;
  } finally {
    connection.release();
  }
}
