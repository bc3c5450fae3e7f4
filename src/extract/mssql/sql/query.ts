import sql from 'mssql';
import { joinPartnerIds } from '../../../core/partner-ids';
import type { KeyRange } from '../../../core/key-range';
import { ConfigurationError } from '../../../core/errors';
import { checkWatermark } from '../../statement-arguments';
import { serverMajorOf, UTF8_COLLATION_MAJOR } from '../connect';

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

/**
 * The row hashes of verification (canonical-sql.ts) need a UTF-8 collation, which SQL Server has
 * from 2019 (15.x): on an older server they are refused naming that, before the server fails
 * them with an unknown collation. Loading needs nothing of the kind.
 */
function checkUtf8Collation(db: MssqlQueryable, query: MssqlQuery): void {
  if (!/_UTF8\b/.test(query.sql)) return;
  const major = serverMajorOf(db);
  if (major !== undefined && major < UTF8_COLLATION_MAJOR)
    throw new ConfigurationError(
      `verifying against SQL Server needs SQL Server 2019 (15.x) or later (its row hashes read text as UTF-8 ` +
        `through a _UTF8 collation); this server is ${major}.x, where loading works and verification does not`,
    );
}

export async function selectRows(db: MssqlQueryable, query: MssqlQuery): Promise<Record<string, unknown>[]> {
  checkUtf8Collation(db, query);
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

/** Integer ids as the XML one parameter carries: `<i>1</i><i>2</i>` (each id checked an integer). */
export function idListXml(ids: ReadonlyArray<number>): string {
  return `<i>${joinPartnerIds(ids, '</i><i>')}</i>`;
}

/**
 * `IN (...)` over many integer ids: they travel as one NVARCHAR(MAX) parameter of XML
 * (idListXml) read on the server by the xml type's nodes() and value(), as a wave of thousands
 * would pass the 2,100-parameter limit. No STRING_SPLIT or OPENJSON: those need database
 * compatibility level 130, which a portal upgraded in place often does not run at.
 */
export function idsIn(name: string, ids: ReadonlyArray<number>, params: MssqlParam[]): string {
  if (!/^[A-Za-z]\w*$/.test(name)) throw new RangeError(`not a parameter name: ${name}`);
  params.push({ name, type: 'NVarCharMax', value: idListXml(ids) });
  return (
    `IN (SELECT [ids].[i].value('(text())[1]', 'int') FROM (SELECT CONVERT(xml, @${name}) AS [d]) AS [x] ` +
    `CROSS APPLY [x].[d].nodes('/i') AS [ids]([i]))`
  );
}

/** `IN (...)` over many partner ids, as one XML parameter `@partnerIds` (idsIn). */
export function partnerIdsIn(partnerIds: ReadonlyArray<number>, params: MssqlParam[]): string {
  return idsIn('partnerIds', partnerIds, params);
}

/** (partner, key) pairs as the XML one parameter carries: `<i p="1" k="10"/><i p="1" k="12"/>` (scopedKeyPairs: each checked an integer). */
export function keyPairsXml(pairs: { partners: ReadonlyArray<number>; keys: ReadonlyArray<number> }): string {
  if (pairs.keys.length === 0) throw new RangeError('at least one scoped key');
  return pairs.keys.map((key, index) => `<i p="${pairs.partners[index]}" k="${key}"/>`).join('');
}

/**
 * A derived table `[s]` of (partner, key) pairs, `[s].[p]` and `[s].[k]`, read from one
 * NVARCHAR(MAX) parameter of XML (keyPairsXml) as idsIn reads its ids: no table-valued
 * parameter type to create on the legacy server, no STRING_SPLIT or OPENJSON.
 */
export function keyPairsTable(
  name: string,
  pairs: { partners: ReadonlyArray<number>; keys: ReadonlyArray<number> },
  params: MssqlParam[],
): string {
  if (!/^[A-Za-z]\w*$/.test(name)) throw new RangeError(`not a parameter name: ${name}`);
  params.push({ name, type: 'NVarCharMax', value: keyPairsXml(pairs) });
  return (
    `(SELECT [pairs].[i].value('@p', 'int') AS [p], [pairs].[i].value('@k', 'int') AS [k] ` +
    `FROM (SELECT CONVERT(xml, @${name}) AS [d]) AS [doc] CROSS APPLY [doc].[d].nodes('/i') AS [pairs]([i])) AS [s]`
  );
}
