import {
  CANONICAL,
  FIELD_SEPARATOR,
  HASH_HEX_DIGITS,
  NULL_MARKER,
  type ArchiveEntity,
  type CanonicalColumn,
} from '../../core/canonical';
import type { Knex } from 'knex';
import { checkKey, keyRangeCondition, type KeyRange } from '../../core/key-range';
import { joinPartnerIds } from '../../core/partner-ids';
import { splitByScope, type ScopedKeys } from '../../core/scoped-keys';
import type { PartnerScope } from '../model';

/** `column = ANY('{1,2}'::int[])` of validated integer keys: a scope's keys, as literals (a statement may run as a COPY). */
export function keysCondition(column: string, keys: ReadonlyArray<number>): string {
  return keys.length === 0 ? 'false' : `${column} = ANY('{${joinPartnerIds(keys, ',')}}'::int[])`;
}

const chr = (text: string) => `chr(${text.charCodeAt(0)})`;

/**
 * The canonical text of an archive column: the archive already stores text trimmed and codes
 * normalised (the transform does it with core/canonical's trim), so text is taken as stored.
 */
export function archiveColumnExpression(column: CanonicalColumn, alias = 't'): string {
  const ref = `${alias}.${column.archive}`;
  let expr: string;
  switch (column.type.kind) {
    case 'date':
      expr = `to_char(${ref}, 'YYYY-MM-DD')`;
      break;
    case 'localDateTime':
      expr = `to_char(${ref}, 'YYYY-MM-DD HH24:MI:SS.MS')`;
      break;
    case 'decimal':
      // numeric(p,s) as text keeps its scale; round() pins it should a column lose its typmod.
      expr = `round(${ref}, ${column.type.scale})::text`;
      break;
    case 'int':
    case 'rowversion':
      expr = `${ref}::text`;
      break;
    default:
      expr = ref;
  }
  return `coalesce(${expr}, ${chr(NULL_MARKER)})`;
}

/**
 * The 60-bit row hash, as PostgreSQL computes it from the row's columns: the same bits as
 * MariaDB's and SQL Server's. Every archive table keeps it in its stored generated `row_hash`
 * column (migration 0007), which verification reads (storedRowHash); this expression is the
 * definition that column is tested against.
 */
export function archiveRowHashExpression(entity: ArchiveEntity, alias = 't'): string {
  return rowHashOfTexts(CANONICAL[entity].columns.map((column) => archiveColumnExpression(column, alias)));
}

/** The 60-bit row hash of column texts (each already NULL-safe), joined as core/canonical's canonicalText does. */
export function rowHashOfTexts(texts: ReadonlyArray<string>): string {
  const digest = `md5(concat_ws(${chr(FIELD_SEPARATOR)}, ${texts.join(', ')}))`;
  return `('x' || substr(${digest}, 1, ${HASH_HEX_DIGITS}))::bit(${HASH_HEX_DIGITS * 4})::bigint`;
}

/**
 * The row hash PostgreSQL keeps for each archive row (archiveRowHashExpression of the row) and
 * each row of a hashed marketplace table (migration 0008), stored when the row is written.
 */
export function storedRowHash(alias = 't'): string {
  return `${alias}.row_hash`;
}

/** `k > after AND k <= upTo` with validated integer literals; true for an open range. */
export function rangeCondition(column: string, range: KeyRange): string {
  return keyRangeCondition(column, range, 'true');
}

/** The smallest and largest parent key of a partner's archive (null when it has none). */
export async function readParentSpan(
  db: Knex,
  entity: ArchiveEntity,
  partnerId: number,
): Promise<{ lo: number; hi: number } | null> {
  const parent = CANONICAL[entity].parent ?? CANONICAL[entity];
  const result = await db.raw<{ rows: Array<{ lo: number | null; hi: number | null }> }>(
    `SELECT min(${parent.archiveKey}) AS lo, max(${parent.archiveKey}) AS hi
       FROM ${parent.archiveTable}
      WHERE legacy_partner_id = ? AND deleted_at IS NULL`,
    [partnerId],
  );
  const { lo, hi } = result.rows[0];
  return lo === null || hi === null ? null : { lo, hi };
}

/**
 * FROM/WHERE of a partner's archive rows of `entity` (deleted_at NULL). A line belongs to the
 * partner of its archived parent; a line whose parent is missing from the archive counts for
 * the partner whose parent key span holds it, so one deleted order is reported as that order,
 * not also as each of its lines. The span is passed as literals so the plan is an index range
 * scan of the partner's lines, not a scan of every line. One positional parameter per `?`.
 * With `keys` (a scope's parent keys), only the rows whose range key is one of them, the span unused.
 */
export function archivePartnerSource(
  entity: ArchiveEntity,
  span: { lo: number; hi: number } | null,
  keys?: ReadonlyArray<number>,
): { from: string; rangeKey: string; key: string; bindings: number } {
  const spec = CANONICAL[entity];
  const key = `t.${spec.archiveKey}`;
  if (!spec.parent) {
    const scoped = keys === undefined ? '' : ` AND ${keysCondition(key, keys)}`;
    const from = `FROM ${spec.archiveTable} t
      WHERE t.legacy_partner_id = ? AND t.deleted_at IS NULL${scoped}`;
    return { from, rangeKey: key, key, bindings: 1 };
  }
  const parentKey = spec.parent.archiveKey;
  const rangeKey = `t.${spec.rangeKey.archive}`;
  const within =
    keys !== undefined
      ? keysCondition(rangeKey, keys)
      : span === null
        ? 'false'
        : `${rangeKey} BETWEEN ${checkKey(span.lo)} AND ${checkKey(span.hi)}`;
  return {
    from: `FROM ${spec.archiveTable} t
      LEFT JOIN ${spec.parent.archiveTable} p ON p.${parentKey} = ${rangeKey}
      WHERE ${within} AND t.deleted_at IS NULL AND (p.legacy_partner_id = ? OR p.${parentKey} IS NULL)`,
    rangeKey,
    key,
    bindings: 1,
  };
}

/**
 * Which archive rows of some partners a statement reads: the whole partners' orders (or
 * invoices), and the scoped partners' listed ones only (scopedKeyPairs), a key counting only for
 * the partner it is listed under.
 */
export interface ArchiveSelection {
  whole: ReadonlyArray<number>;
  pairs: { partners: ReadonlyArray<number>; keys: ReadonlyArray<number> };
}

/** The scope's (partner, key) pairs as a FROM item `s(partner_id, k)`: two array parameters. */
export const SCOPE_PAIRS = 'unnest(?::int[], ?::int[]) AS s(partner_id, k)';

/**
 * FROM (and WHERE) of the selected live (deleted_at NULL) rows of an archive parent table, as
 * `t`: the whole partners' by partner, the scoped ones' by key, one UNION ALL when there are
 * both. With whole partners only, the plain scan of the partners' rows it always was.
 */
export function archiveParentRows(
  entity: 'order' | 'invoice',
  selection: ArchiveSelection,
): { from: string; bindings: unknown[] } {
  const spec = CANONICAL[entity];
  const wholeRows = `FROM ${spec.archiveTable} t
      WHERE t.legacy_partner_id = ANY(?::int[]) AND t.deleted_at IS NULL`;
  const scopedRows = `FROM ${SCOPE_PAIRS}
       JOIN ${spec.archiveTable} t ON t.${spec.archiveKey} = s.k AND t.legacy_partner_id = s.partner_id
      WHERE t.deleted_at IS NULL`;
  const scoped = selection.pairs.keys.length > 0;
  const wholeBindings = [[...selection.whole]];
  const scopedBindings = [[...selection.pairs.partners], [...selection.pairs.keys]];
  if (!scoped) return { from: wholeRows, bindings: wholeBindings };
  if (selection.whole.length === 0) return { from: scopedRows, bindings: scopedBindings };
  return {
    from: `FROM (SELECT t.* ${wholeRows}
             UNION ALL
             SELECT t.* ${scopedRows}) t`,
    bindings: [...wholeBindings, ...scopedBindings],
  };
}

/** The orders (or invoices) of a scope per partner, for the statements of one parent entity. */
export function scopedKeysOf(
  scope: ReadonlyMap<number, PartnerScope> | undefined,
  parent: 'order' | 'invoice',
): ScopedKeys | undefined {
  if (scope === undefined) return undefined;
  return new Map([...scope].map(([partnerId, of]) => [partnerId, parent === 'order' ? of.orders : of.invoices]));
}

/** Which rows of these partners a statement of one parent entity (and its lines) reads. */
export function archiveSelection(
  partnerIds: ReadonlyArray<number>,
  scope: ReadonlyMap<number, PartnerScope> | undefined,
  parent: 'order' | 'invoice',
): ArchiveSelection {
  return splitByScope(partnerIds, scopedKeysOf(scope, parent));
}
