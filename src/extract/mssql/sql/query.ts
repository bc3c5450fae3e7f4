import sql from 'mssql';
import { joinPartnerIds } from '../../../core/partner-ids';
import type { KeyRange } from '../../../core/key-range';
import { checkWatermark } from '../../statement-arguments';

/** Parameter types the statements use; mapped to node-mssql types only when a statement runs. */
export type MssqlParamType = 'Int' | 'VarChar' | 'NVarCharMax';

export interface MssqlParam {
  name: string;
  type: MssqlParamType;
  value: number | string | null;
}

/** A statement with named `@parameters`: what the builders return and unit tests pin. */
export interface MssqlQuery {
  sql: string;
  params: MssqlParam[];
}

/** Anything a request can be made on: the pool, or a transaction's connection. */
export type MssqlQueryable = sql.ConnectionPool | sql.Transaction;

function driverType(type: MssqlParamType): sql.ISqlType | (() => sql.ISqlType) {
  switch (type) {
    case 'Int':
      return sql.Int;
    case 'VarChar':
      return sql.VarChar(40);
    default:
      return sql.NVarChar(sql.MAX);
  }
}

function createRequest(db: MssqlQueryable, query: MssqlQuery): sql.Request {
  const request = new sql.Request(db as sql.ConnectionPool);
  for (const param of query.params) request.input(param.name, driverType(param.type), param.value);
  return request;
}

export async function selectRows(db: MssqlQueryable, query: MssqlQuery): Promise<Record<string, unknown>[]> {
  const result = await createRequest(db, query).query<Record<string, unknown>>(query.sql);
  return result.recordset ?? [];
}

/** Rows affected by the first statement. */
export async function execute(db: MssqlQueryable, query: MssqlQuery): Promise<number> {
  const result = await createRequest(db, query).query(query.sql);
  return result.rowsAffected[0] ?? 0;
}

/**
 * `RowVer <= watermark`, comparing binary(8) with binary(8): exact, sargable on the rowversion
 * column, and the watermark (bigint: up to 19 digits) travels as text so it never passes through
 * a JavaScript number. Bound once however often a statement compares it.
 */
export function rowVerAtMost(column: string, watermark: string, params: MssqlParam[]): string {
  checkWatermark(watermark, 19);
  if (!params.some((param) => param.name === 'watermark')) {
    params.push({ name: 'watermark', type: 'VarChar', value: watermark });
  }
  return `${column} <= CONVERT(binary(8), CONVERT(bigint, @watermark))`;
}

/** `(after, upTo]` on a key column as `@after` / `@upTo`; open bounds add nothing. */
export function keyRange(column: string, range: KeyRange | undefined, params: MssqlParam[]): string {
  let text = '';
  if (range?.after !== undefined) {
    params.push({ name: 'after', type: 'Int', value: range.after });
    text += ` AND ${column} > @after`;
  }
  if (range?.upTo !== undefined) {
    params.push({ name: 'upTo', type: 'Int', value: range.upTo });
    text += ` AND ${column} <= @upTo`;
  }
  return text;
}

/**
 * `IN (...)` over many partner ids: they travel as one comma-separated NVARCHAR(MAX) parameter
 * split on the server (STRING_SPLIT, SQL Server 2016+), as a wave of thousands would pass the
 * 2,100-parameter limit.
 */
export function partnerIdsIn(partnerIds: ReadonlyArray<number>, params: MssqlParam[]): string {
  params.push({ name: 'partnerIds', type: 'NVarCharMax', value: joinPartnerIds(partnerIds, ',') });
  return "IN (SELECT CONVERT(int, [value]) FROM STRING_SPLIT(@partnerIds, ','))";
}
