import {
  moneyColumns, toPartnerDigests, toRangeChecksums, type ArchiveEntity, type KeyChecksum, type PartnerDigest, type RangeChecksum,
} from '../../../core/canonical';
import { bracket } from '../columns';
import type { KeyRange } from '../../source-reader';
import { partnerRowsSource, rangeCondition, trimExpression } from './canonical-sql';
import type { MssqlParam, MssqlQuery, MssqlQueryable } from './query';
import { partnerIdsIn, rowVerAtMost, selectRows } from './query';

/** Count, exact hash sum (decimal(38,0) as text) and key span per range, in one scan of the partner's rows. */
export function buildRangeChecksumsQuery(entity: ArchiveEntity, partnerId: number, watermark: string, ranges: KeyRange[]): MssqlQuery {
  if (ranges.length === 0) throw new RangeError('at least one range');
  const params: MssqlParam[] = [{ name: 'partnerId', type: 'Int', value: partnerId }];
  const source = partnerRowsSource(entity, (column) => rowVerAtMost(column, watermark, params), true);
  const buckets = ranges.map((range, index) => `WHEN ${rangeCondition(source.rangeKey, range)} THEN ${index}`).join(' ');
  const any = ranges.map((range) => `(${rangeCondition(source.rangeKey, range)})`).join(' OR ');
  const sql = 'SELECT [bucket], COUNT(*) AS [n], CONVERT(varchar(40), SUM(CONVERT(decimal(38, 0), [h]))) AS [total],'
    + ' MIN([k]) AS [min_key], MAX([k]) AS [max_key] FROM ('
    + `SELECT CASE ${buckets} END AS [bucket], ${source.rangeKey} AS [k], [x].[rh] AS [h] ${source.from} AND (${any})`
    + ') AS [hashed] GROUP BY [bucket]';
  return { sql, params };
}

export async function readRangeChecksums(
  db: MssqlQueryable, entity: ArchiveEntity, partnerId: number, watermark: string, ranges: KeyRange[],
): Promise<RangeChecksum[]> {
  const rows = await selectRows(db, buildRangeChecksumsQuery(entity, partnerId, watermark, ranges));
  return toRangeChecksums(ranges.length, rows);
}

export function buildKeyChecksumsQuery(entity: ArchiveEntity, partnerId: number, watermark: string, range: KeyRange): MssqlQuery {
  const params: MssqlParam[] = [{ name: 'partnerId', type: 'Int', value: partnerId }];
  const source = partnerRowsSource(entity, (column) => rowVerAtMost(column, watermark, params), true);
  const sql = `SELECT ${source.key} AS [k], CONVERT(varchar(20), [x].[rh]) AS [h] ${source.from}`
    + ` AND ${rangeCondition(source.rangeKey, range)} ORDER BY ${source.key}`;
  return { sql, params };
}

export async function readKeyChecksums(
  db: MssqlQueryable, entity: ArchiveEntity, partnerId: number, watermark: string, range: KeyRange,
): Promise<KeyChecksum[]> {
  const rows = await selectRows(db, buildKeyChecksumsQuery(entity, partnerId, watermark, range));
  return rows.map((row) => ({ key: Number(row.k), hash: String(row.h) }));
}

/**
 * Each partner's checksum in one grouped scan of all of them; orders and invoices are grouped
 * by partner, currency and month and also sum their money there; money as style-2 text.
 */
export function buildPartnerDigestsQuery(entity: ArchiveEntity, partnerIds: ReadonlyArray<number>, watermark: string): MssqlQuery {
  const params: MssqlParam[] = [];
  const partners = partnerIdsIn(partnerIds, params);
  const source = partnerRowsSource(entity, (column) => rowVerAtMost(column, watermark, params), true, partners);
  const money = moneyColumns(entity);
  const groups = money
    ? `, UPPER(${trimExpression(`t.${bracket(money.currency.legacy)}`)}) AS [currency], CONVERT(char(7), t.${bracket(money.date.legacy)}, 23) AS [month]`
      + money.amounts.map((amount, index) => `, t.${bracket(amount.legacy)} AS [m${index + 1}]`).join('')
    : '';
  const sums = money ? money.amounts.map((_, index) => `, CONVERT(varchar(40), SUM([m${index + 1}]), 2) AS [a${index + 1}]`).join('') : '';
  const sql = `SELECT [pid]${money ? ', [currency], [month]' : ''}, COUNT(*) AS [n], CONVERT(varchar(40), SUM(CONVERT(decimal(38, 0), [h]))) AS [total],`
    + ` MIN([k]) AS [min_key], MAX([k]) AS [max_key]${sums} FROM (`
    + `SELECT ${source.partner} AS [pid], ${source.rangeKey} AS [k], [x].[rh] AS [h]${groups} ${source.from}`
    + `) AS [hashed] GROUP BY [pid]${money ? ', [currency], [month]' : ''}`;
  return { sql, params };
}

export async function readPartnerDigests(
  db: MssqlQueryable, entity: ArchiveEntity, partnerIds: ReadonlyArray<number>, watermark: string,
): Promise<Map<number, PartnerDigest>> {
  if (partnerIds.length === 0) return new Map();
  return toPartnerDigests(entity, await selectRows(db, buildPartnerDigestsQuery(entity, partnerIds, watermark)));
}
