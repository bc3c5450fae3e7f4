import type { Connection, Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { ContractViolationError } from '../../../core/errors';
import type { KeyRange } from '../../source-reader';
import { quoteName } from '../columns';

/** Anything a statement can run on: the pool, or one connection of it. */
export type MariaDbQueryable = Pool | PoolConnection | Connection;

/** A statement with `?` placeholders, escaped client-side by mysql2. */
export interface MariaDbQuery {
  sql: string;
  params: unknown[];
}

export async function selectRows(db: MariaDbQueryable, query: MariaDbQuery): Promise<RowDataPacket[]> {
  const [rows] = await db.query<RowDataPacket[]>(query.sql, query.params);
  return rows;
}

const ROW_VERSION = /^\d{1,20}$/;

/** The watermark as a bound parameter: CAST keeps the BIGINT UNSIGNED comparison exact (a bare string compares as a double). */
export function rowVerAtMost(column: string, watermark: string, params: unknown[]): string {
  if (!ROW_VERSION.test(watermark)) throw new ContractViolationError(`watermark must be an unsigned integer as text, got "${watermark}"`);
  params.push(watermark);
  return `${column} <= CAST(? AS UNSIGNED)`;
}

/** `(after, upTo]` on a key column; open bounds add nothing. */
export function keyRange(column: string, range: KeyRange | undefined, params: unknown[]): string {
  let sql = '';
  if (range?.after !== undefined) {
    params.push(range.after);
    sql += ` AND ${column} > ?`;
  }
  if (range?.upTo !== undefined) {
    params.push(range.upTo);
    sql += ` AND ${column} <= ?`;
  }
  return sql;
}

/** A qualified, quoted column: `o.\`OrderId\``. */
export function col(alias: string | undefined, name: string): string {
  return alias ? `${alias}.${quoteName(name)}` : quoteName(name);
}
