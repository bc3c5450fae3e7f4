import type { Knex } from 'knex';
import { CANONICAL, toCanonicalRow, toPartnerChecksums, toRangeChecksums, type ArchiveEntity, type CanonicalRow, type KeyChecksum, type RangeChecksum } from '../../core/canonical';
import type { KeyRange } from '../bisect';
import { archiveColumnExpression, archivePartnerSource, archiveRowHashExpression, rangeCondition, readParentSpan } from './archive-canonical';

async function sourceOf(db: Knex, entity: ArchiveEntity, partnerId: number) {
  return archivePartnerSource(entity, CANONICAL[entity].parent ? await readParentSpan(db, entity, partnerId) : null);
}

/** Count, exact hash sum and key span per range of a partner's archive rows, in one scan. */
export async function readArchiveRangeChecksums(db: Knex, entity: ArchiveEntity, partnerId: number, ranges: KeyRange[]): Promise<RangeChecksum[]> {
  const source = await sourceOf(db, entity, partnerId);
  const buckets = ranges.map((range, index) => `WHEN ${rangeCondition(source.rangeKey, range)} THEN ${index}`).join(' ');
  const any = ranges.map((range) => `(${rangeCondition(source.rangeKey, range)})`).join(' OR ');
  const sql = `SELECT bucket, count(*)::int AS n, coalesce(sum(h), 0)::text AS total, min(k) AS min_key, max(k) AS max_key FROM (`
    + `SELECT CASE ${buckets} END AS bucket, ${source.rangeKey} AS k, ${archiveRowHashExpression(entity)} AS h ${source.from} AND (${any})`
    + `) hashed GROUP BY bucket`;
  const result = await db.raw<{ rows: Array<{ bucket: number; n: number; total: string; min_key: number | null; max_key: number | null }> }>(
    sql, Array(source.bindings).fill(partnerId),
  );
  return toRangeChecksums(ranges.length, result.rows);
}

/** Each archive row's key and row hash in one range, in key order. */
export async function readArchiveKeyChecksums(db: Knex, entity: ArchiveEntity, partnerId: number, range: KeyRange): Promise<KeyChecksum[]> {
  const source = await sourceOf(db, entity, partnerId);
  const sql = `SELECT ${source.key} AS k, (${archiveRowHashExpression(entity)})::text AS h ${source.from} AND ${rangeCondition(source.rangeKey, range)} ORDER BY 1`;
  const result = await db.raw<{ rows: Array<{ k: number; h: string }> }>(sql, Array(source.bindings).fill(partnerId));
  return result.rows.map((row) => ({ key: row.k, hash: row.h }));
}

/** The canonical column texts of the archive rows with these keys. */
export async function readArchiveCanonicalRows(db: Knex, entity: ArchiveEntity, keys: number[]): Promise<CanonicalRow[]> {
  if (keys.length === 0) return [];
  const spec = CANONICAL[entity];
  const columns = spec.columns.map((column, index) => `${archiveColumnExpression(column)} AS c${index}`).join(', ');
  const result = await db.raw<{ rows: Array<Record<string, string | number>> }>(
    `SELECT t.${spec.archiveKey} AS k, ${columns} FROM ${spec.archiveTable} t WHERE t.${spec.archiveKey} = ANY(?::int[]) ORDER BY 1`, [keys],
  );
  return result.rows.map((row) => toCanonicalRow(entity, row));
}

/**
 * Count, exact hash sum and key span of each partner's archive rows of `entity`, in one grouped
 * scan. Lines count for the partner of their archived parent; lines whose parent is missing
 * count for nobody here (readOrphanLineParents finds them).
 */
export async function readArchivePartnerChecksums(db: Knex, entity: ArchiveEntity, partnerIds: ReadonlyArray<number>): Promise<Map<number, RangeChecksum>> {
  if (partnerIds.length === 0) return new Map();
  const spec = CANONICAL[entity];
  const from = spec.parent
    ? `FROM ${spec.archiveTable} t JOIN ${spec.parent.archiveTable} p ON p.${spec.parent.archiveKey} = t.${spec.rangeKey.archive}`
      + ' WHERE p.legacy_partner_id = ANY(?::int[]) AND t.deleted_at IS NULL'
    : `FROM ${spec.archiveTable} t WHERE t.legacy_partner_id = ANY(?::int[]) AND t.deleted_at IS NULL`;
  const partner = spec.parent ? 'p.legacy_partner_id' : 't.legacy_partner_id';
  const result = await db.raw<{ rows: Array<Record<string, unknown>> }>(
    `SELECT ${partner} AS pid, count(*)::int AS n, coalesce(sum(${archiveRowHashExpression(entity)}), 0)::text AS total,`
      + ` min(t.${spec.rangeKey.archive}) AS min_key, max(t.${spec.rangeKey.archive}) AS max_key ${from} GROUP BY 1`,
    [[...partnerIds]],
  );
  return toPartnerChecksums(result.rows);
}

/**
 * Parent keys of archived lines whose parent row is missing from the archive, within the parent
 * key span of these partners' archived parents (a stray or orphaned line lies in some span).
 */
export async function readOrphanLineParents(db: Knex, entity: 'order_line' | 'invoice_line', partnerIds: ReadonlyArray<number>): Promise<number[]> {
  if (partnerIds.length === 0) return [];
  const spec = CANONICAL[entity];
  const parent = spec.parent!;
  const key = spec.rangeKey.archive;
  const result = await db.raw<{ rows: Array<{ k: number }> }>(
    `SELECT t.${key} AS k FROM ${spec.archiveTable} t,
            (SELECT min(${parent.archiveKey}) AS lo, max(${parent.archiveKey}) AS hi FROM ${parent.archiveTable} WHERE legacy_partner_id = ANY(?::int[])) span
      WHERE t.${key} BETWEEN span.lo AND span.hi AND t.deleted_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM ${parent.archiveTable} p WHERE p.${parent.archiveKey} = t.${key})
      GROUP BY 1 ORDER BY 1 LIMIT 10000`,
    [[...partnerIds]],
  );
  return result.rows.map((row) => Number(row.k));
}

/** Archived orders and invoices per partner: how large each partner's verification is. */
export async function readArchiveSizes(db: Knex, partnerIds: ReadonlyArray<number>): Promise<Map<number, number>> {
  if (partnerIds.length === 0) return new Map();
  const result = await db.raw<{ rows: Array<{ p: number; n: number }> }>(
    `SELECT p, sum(n)::int AS n FROM (
       SELECT legacy_partner_id AS p, count(*) AS n FROM archive.orders WHERE legacy_partner_id = ANY(:ids::int[]) GROUP BY 1
       UNION ALL
       SELECT legacy_partner_id, count(*) FROM archive.invoices WHERE legacy_partner_id = ANY(:ids::int[]) GROUP BY 1) sizes GROUP BY p`,
    { ids: [...partnerIds] },
  );
  return new Map(result.rows.map((row) => [Number(row.p), Number(row.n)]));
}
