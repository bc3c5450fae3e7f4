import sql from 'mssql';
import { ContractViolationError } from '../../../core/errors';
import type { LegacyTableName } from '../../source-reader';
import { bracket, COLUMNS, tableName, type Column } from '../columns';
import { execute } from './query';

/** Rows per bulk load: bounds the memory of one `sql.Table`. */
const INSERT_CHUNK_ROWS = 10_000;

/** The staging table: a session temp table, every column text, so the server converts with fixed styles. */
const STAGE = '#ppm_stage';

const ISO = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?)Z?$/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const dateFields = (d: Date) => `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const timeFields = (d: Date) =>
  `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;

/** A contract value as staging text: local times in style 121, UTC times in style 127, booleans 1/0. */
export function toStageText(column: Column, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (value instanceof Date) {
    if (column.kind === 'utc') return `${dateFields(value)}T${timeFields(value)}Z`;
    return column.kind === 'date' ? dateFields(value) : `${dateFields(value)} ${timeFields(value)}`;
  }
  if (typeof value === 'string' && (column.kind === 'utc' || column.kind === 'local')) {
    const match = ISO.exec(value);
    if (match) return column.kind === 'utc' ? `${match[1]}T${match[2]}Z` : `${match[1]} ${match[2]}`;
  }
  return String(value);
}

/** Text to the column's type: explicit styles for dates (no DATEFORMAT guessing), implicit for the rest. */
export function stageToColumn(column: Column): string {
  const ref = bracket(column.name);
  switch (column.kind) {
    case 'local':
      return `CONVERT(datetime, ${ref}, 121)`;
    case 'utc':
      return `CONVERT(datetime2(3), ${ref}, 127)`;
    case 'date':
      return `CONVERT(date, ${ref}, 23)`;
    default:
      return ref;
  }
}

/** The columns of `table` that `rows` name (RowVer is the server's to set). */
export function insertColumns(table: LegacyTableName, rows: ReadonlyArray<Record<string, unknown>>): Column[] {
  const known = new Set(COLUMNS[table].map((column) => column.name));
  const named = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) named.add(name);
  for (const name of named) if (!known.has(name)) throw new ContractViolationError(`${table} has no column ${name}`);
  return COLUMNS[table].filter((column) => column.kind !== 'rowver' && named.has(column.name));
}

export function buildCreateStageSql(columns: readonly Column[]): string {
  return `CREATE TABLE ${STAGE} (${columns.map((column) => `${bracket(column.name)} nvarchar(4000) NULL`).join(', ')})`;
}

/** Explicit identity values need IDENTITY_INSERT, which bulk loads ignore: hence stage, then INSERT ... SELECT. */
export function buildInsertFromStageSql(table: LegacyTableName, columns: readonly Column[]): string {
  const target = tableName(table);
  const names = columns.map((column) => bracket(column.name)).join(', ');
  const hasIdentity = columns[0]?.name === COLUMNS[table][0].name;
  const insert = `INSERT INTO ${target} (${names}) SELECT ${columns.map(stageToColumn).join(', ')} FROM ${STAGE}`;
  return hasIdentity ? `SET IDENTITY_INSERT ${target} ON; ${insert}; SET IDENTITY_INSERT ${target} OFF` : insert;
}

/** Stages `rows` through a bulk load and moves them into `table`, inside `transaction`. */
async function stageAndInsert(
  transaction: sql.Transaction,
  table: LegacyTableName,
  rows: ReadonlyArray<Record<string, unknown>>,
): Promise<void> {
  const columns = insertColumns(table, rows);
  await execute(transaction, { sql: buildCreateStageSql(columns), params: [] });
  for (let start = 0; start < rows.length; start += INSERT_CHUNK_ROWS) {
    const stage = new sql.Table(STAGE);
    stage.create = false;
    for (const column of columns) stage.columns.add(column.name, sql.NVarChar(4000), { nullable: true });
    for (const row of rows.slice(start, start + INSERT_CHUNK_ROWS)) {
      stage.rows.add(...columns.map((column) => toStageText(column, row[column.name])));
    }
    await new sql.Request(transaction).bulk(stage);
    await execute(transaction, { sql: buildInsertFromStageSql(table, columns), params: [] });
    await execute(transaction, { sql: `TRUNCATE TABLE ${STAGE}`, params: [] });
  }
  await execute(transaction, { sql: `DROP TABLE ${STAGE}`, params: [] });
}

/** Bulk insert in one transaction, which pins the one connection the session temp table needs. */
export async function insertRows(
  pool: sql.ConnectionPool,
  table: LegacyTableName,
  rows: ReadonlyArray<Record<string, unknown>>,
): Promise<void> {
  const transaction = new sql.Transaction(pool);
  await transaction.begin();
  try {
    await stageAndInsert(transaction, table, rows);
    await transaction.commit();
  } catch (error) {
    await transaction.rollback().catch(() => undefined);
    throw error;
  }
}
