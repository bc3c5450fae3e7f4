import type { Knex } from 'knex';
import {
  CANONICAL,
  toCanonicalRow,
  toRangeChecksums,
  type ArchiveEntity,
  type CanonicalRow,
  type KeyChecksum,
  type RangeChecksum,
} from '../../core/canonical';
import type { KeyRange } from '../bisect';
import {
  archiveColumnExpression,
  archivePartnerSource,
  rangeCondition,
  readParentSpan,
  storedRowHash,
} from './archive-canonical';

async function sourceOf(db: Knex, entity: ArchiveEntity, partnerId: number, keys: ReadonlyArray<number> | undefined) {
  if (keys !== undefined) return archivePartnerSource(entity, null, keys);
  return archivePartnerSource(entity, CANONICAL[entity].parent ? await readParentSpan(db, entity, partnerId) : null);
}

/**
 * Count, exact hash sum and key span per range of a partner's archive rows, in one scan; with
 * `keys`, of the rows whose range key is one of them only (a scope's).
 */
export async function readArchiveRangeChecksums(
  db: Knex,
  entity: ArchiveEntity,
  partnerId: number,
  ranges: KeyRange[],
  keys?: ReadonlyArray<number>,
): Promise<RangeChecksum[]> {
  const source = await sourceOf(db, entity, partnerId, keys);
  const buckets = ranges
    .map((range, index) => `WHEN ${rangeCondition(source.rangeKey, range)} THEN ${index}`)
    .join(' ');
  const any = ranges.map((range) => `(${rangeCondition(source.rangeKey, range)})`).join(' OR ');
  const sql = `SELECT bucket, count(*)::int AS n, coalesce(sum(h), 0)::text AS total,
         min(k) AS min_key, max(k) AS max_key
    FROM (SELECT CASE ${buckets} END AS bucket, ${source.rangeKey} AS k, ${storedRowHash()} AS h
            ${source.from} AND (${any})) hashed
   GROUP BY bucket`;
  type Row = { bucket: number; n: number; total: string; min_key: number | null; max_key: number | null };
  const result = await db.raw<{ rows: Row[] }>(sql, Array(source.bindings).fill(partnerId));
  return toRangeChecksums(ranges.length, result.rows);
}

/** Each archive row's key and row hash in one range (and of `keys` only, as above), in key order. */
export async function readArchiveKeyChecksums(
  db: Knex,
  entity: ArchiveEntity,
  partnerId: number,
  range: KeyRange,
  keys?: ReadonlyArray<number>,
): Promise<KeyChecksum[]> {
  const source = await sourceOf(db, entity, partnerId, keys);
  const sql = `SELECT ${source.key} AS k, (${storedRowHash()})::text AS h
    ${source.from} AND ${rangeCondition(source.rangeKey, range)}
   ORDER BY 1`;
  const result = await db.raw<{ rows: Array<{ k: number; h: string }> }>(sql, Array(source.bindings).fill(partnerId));
  return result.rows.map((row) => ({ key: row.k, hash: row.h }));
}

/** The canonical column texts of the archive rows with these keys. */
export async function readArchiveCanonicalRows(
  db: Knex,
  entity: ArchiveEntity,
  keys: number[],
): Promise<CanonicalRow[]> {
  if (keys.length === 0) return [];
  const spec = CANONICAL[entity];
  const columns = spec.columns.map((column, index) => `${archiveColumnExpression(column)} AS c${index}`).join(', ');
  const result = await db.raw<{ rows: Array<Record<string, string | number>> }>(
    `SELECT t.${spec.archiveKey} AS k, ${columns}
       FROM ${spec.archiveTable} t
      WHERE t.${spec.archiveKey} = ANY(?::int[])
      ORDER BY 1`,
    [keys],
  );
  return result.rows.map((row) => toCanonicalRow(entity, row));
}

/** Archived orders and invoices per partner: how large each partner's verification is. */
export async function readArchiveSizes(db: Knex, partnerIds: ReadonlyArray<number>): Promise<Map<number, number>> {
  if (partnerIds.length === 0) return new Map();
  const result = await db.raw<{ rows: Array<{ p: number; n: number }> }>(
    `SELECT p, sum(n)::int AS n
       FROM (SELECT legacy_partner_id AS p, count(*) AS n
               FROM archive.orders WHERE legacy_partner_id = ANY(:ids::int[]) GROUP BY 1
             UNION ALL
             SELECT legacy_partner_id, count(*)
               FROM archive.invoices WHERE legacy_partner_id = ANY(:ids::int[]) GROUP BY 1) sizes
      GROUP BY p`,
    { ids: [...partnerIds] },
  );
  return new Map(result.rows.map((row) => [Number(row.p), Number(row.n)]));
}
