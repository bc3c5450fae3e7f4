import type { Knex } from 'knex';
import { CANONICAL, MONEY, toPartnerDigests, type ArchiveEntity, type PartnerDigest } from '../../core/canonical';
import { checkKey } from '../../core/key-range';
import type { PartnerScope } from '../model';
import {
  archiveParentRows,
  archiveSelection,
  SCOPE_PAIRS,
  storedRowHash,
  type ArchiveSelection,
} from './archive-canonical';
import type { MappingCombination } from './read-archive-mappings';

/** Archived lines that name a parent missing from the archive. */
export interface OrphanedLines {
  parentKey: number;
  lines: number;
}

/** What one grouped scan per archive table tells about some partners. */
export interface ArchiveDigests {
  /** Per entity and partner: checksum, and for orders and invoices money per (currency, month). */
  digests: Map<ArchiveEntity, Map<number, PartnerDigest>>;
  /** Order-line billing frequency combinations per partner, for mapping fidelity. */
  lineMappings: Map<number, MappingCombination[]>;
  /** Per line entity: archived lines whose parent is missing, by parent key, within these partners' parent key span. */
  orphanParents: Map<ArchiveEntity, OrphanedLines[]>;
  /** Per line entity and scoped partner: its scope's archived lines whose parent is missing. */
  scopedOrphans: Map<ArchiveEntity, Map<number, OrphanedLines[]>>;
}

/** Orders or invoices: checksum and money per (partner, currency, month) in one scan. */
async function readParentDigests(
  db: Knex,
  entity: 'order' | 'invoice',
  selection: ArchiveSelection,
): Promise<Map<number, PartnerDigest>> {
  if (selection.whole.length === 0 && selection.pairs.keys.length === 0) return new Map();
  const spec = CANONICAL[entity];
  const rows = archiveParentRows(entity, selection);
  const money = MONEY[entity];
  const sums = money.amounts.map((amount, index) => `, sum(t.${amount.archive})::text AS a${index + 1}`).join('');
  const month = `date_trunc('month', t.${money.date.archive}::timestamp)`;
  const result = await db.raw<{ rows: Array<Record<string, unknown>> }>(
    // Grouped on the month as a timestamp and formatted once per group, not once per row.
    `SELECT t.legacy_partner_id AS pid, t.${money.currency.archive} AS currency, to_char(${month}, 'YYYY-MM') AS month,
            count(*)::int AS n, coalesce(sum(${storedRowHash()}), 0)::text AS total,
            min(t.${spec.archiveKey}) AS min_key, max(t.${spec.archiveKey}) AS max_key${sums}
       ${rows.from}
      GROUP BY 1, 2, ${month}`,
    rows.bindings as Knex.RawBinding[],
  );
  return toPartnerDigests(entity, result.rows);
}

/**
 * Lines, in one scan of the lines in these partners' parent key span: the checksum of each
 * partner's lines (a line is its archived parent's partner's), the lines whose parent is
 * missing (grouped by that parent key), and for order lines the billing frequency mapping.
 * The span is read first and passed as literals, so the planner knows how many lines it will
 * meet (bounds in a subquery leave it guessing). Lines without a parent are grouped together
 * (partner NULL) and, only when there are any, listed by parent key in a second statement.
 * A scoped partner's lines are those of its listed parent keys, read in a second branch of the
 * same statement (UNION ALL) driven by the pairs; its orphans are grouped by parent key there.
 */
async function readLineDigests(db: Knex, entity: 'order_line' | 'invoice_line', selection: ArchiveSelection) {
  const spec = CANONICAL[entity];
  const parent = spec.parent!;
  const key = `t.${spec.rangeKey.archive}`;
  const mappings = new Map<number, MappingCombination[]>();
  const scopedOrphans = new Map<number, OrphanedLines[]>();
  const empty = { digests: new Map<number, PartnerDigest>(), mappings, orphans: [], scopedOrphans };
  const span =
    selection.whole.length === 0
      ? { lo: null, hi: null }
      : (
          await db.raw<{ rows: Array<{ lo: number | null; hi: number | null }> }>(
            // Grouped per partner: a bare min()/max() is planned as a walk along the primary key
            // until a row of these partners turns up.
            `SELECT min(lo) AS lo, max(hi) AS hi
       FROM (SELECT min(${parent.archiveKey}) AS lo, max(${parent.archiveKey}) AS hi
               FROM ${parent.archiveTable}
              WHERE legacy_partner_id = ANY(?::int[])
              GROUP BY legacy_partner_id) spans`,
            [[...selection.whole]],
          )
        ).rows[0];
  const whole = span.lo !== null && span.hi !== null;
  const scoped = selection.pairs.keys.length > 0;
  if (!whole && !scoped) return empty;
  const within = whole ? `${key} BETWEEN ${checkKey(span.lo!)} AND ${checkKey(span.hi!)} AND t.deleted_at IS NULL` : '';
  const mapping = entity === 'order_line' ? ', t.billing_frequency_raw AS raw, t.billing_frequency AS mapped' : '';
  const grouping = mapping ? ', 2, 3' : '';
  const aggregates = `count(*)::int AS n, coalesce(sum(${storedRowHash()}), 0)::text AS total,
            min(${key}) AS min_key, max(${key}) AS max_key, min(t.${spec.archiveKey}) AS example`;
  const branches: string[] = [];
  const bindings: unknown[] = [];
  if (whole) {
    branches.push(`SELECT p.legacy_partner_id AS pid${mapping}, ${aggregates}, NULL::int AS orphan_of
       FROM ${spec.archiveTable} t
       LEFT JOIN ${parent.archiveTable} p ON p.${parent.archiveKey} = ${key}
      WHERE ${within} AND (p.legacy_partner_id = ANY(?::int[]) OR p.${parent.archiveKey} IS NULL)
      GROUP BY 1${grouping}`);
    bindings.push([...selection.whole]);
  }
  if (scoped) {
    const orphanOf = `CASE WHEN p.${parent.archiveKey} IS NULL THEN ${key} END`;
    branches.push(`SELECT s.partner_id AS pid${mapping}, ${aggregates}, ${orphanOf} AS orphan_of
       FROM ${SCOPE_PAIRS}
       JOIN ${spec.archiveTable} t ON ${key} = s.k AND t.deleted_at IS NULL
       LEFT JOIN ${parent.archiveTable} p ON p.${parent.archiveKey} = ${key}
      WHERE p.legacy_partner_id = s.partner_id OR p.${parent.archiveKey} IS NULL
      GROUP BY 1${grouping}, ${orphanOf}`);
    bindings.push([...selection.pairs.partners], [...selection.pairs.keys]);
  }
  const result = await db.raw<{
    rows: Array<Record<string, unknown> & { pid: number | null; orphan_of: number | null }>;
  }>(branches.map((branch) => `(${branch})`).join(' UNION ALL '), bindings as Knex.RawBinding[]);
  const partnerRows: Array<Record<string, unknown>> = [];
  let orphaned = false;
  for (const row of result.rows) {
    if (row.pid === null) {
      orphaned = true;
      continue;
    }
    const partnerId = Number(row.pid);
    if (row.orphan_of !== null) {
      const orphans = scopedOrphans.get(partnerId) ?? [];
      orphans.push({ parentKey: Number(row.orphan_of), lines: Number(row.n) });
      scopedOrphans.set(partnerId, orphans);
      continue;
    }
    partnerRows.push(row);
    if (mapping) {
      const combos = mappings.get(partnerId) ?? [];
      combos.push({
        entity: 'order_line',
        raw: { billing_frequency_raw: row.raw as string | null },
        mapped: { billing_frequency: row.mapped as string | null },
        rows: Number(row.n),
        exampleKey: Number(row.example),
      });
      mappings.set(partnerId, combos);
    }
  }
  const orphans: OrphanedLines[] = orphaned
    ? (
        await db.raw<{ rows: Array<{ parent: number; n: number }> }>(
          `SELECT ${key} AS parent, count(*)::int AS n
         FROM ${spec.archiveTable} t
        WHERE ${within}
          AND NOT EXISTS (SELECT 1 FROM ${parent.archiveTable} p WHERE p.${parent.archiveKey} = ${key})
        GROUP BY 1
        ORDER BY 1`,
        )
      ).rows.map((row) => ({ parentKey: Number(row.parent), lines: Number(row.n) }))
    : [];
  for (const list of scopedOrphans.values()) list.sort((a, b) => a.parentKey - b.parentKey);
  return { digests: toPartnerDigests(entity, partnerRows), mappings, orphans, scopedOrphans };
}

/**
 * Checksums, money, orphaned lines and the line mapping of these partners' archive: one statement
 * per archive table. A partner in `scope` is read over its scope's orders and invoices (and their
 * lines) only, in the same statements.
 */
export async function readArchiveDigests(
  db: Knex,
  partnerIds: ReadonlyArray<number>,
  scope?: ReadonlyMap<number, PartnerScope>,
): Promise<ArchiveDigests> {
  const ids = [...partnerIds];
  if (ids.length === 0)
    return { digests: new Map(), lineMappings: new Map(), orphanParents: new Map(), scopedOrphans: new Map() };
  const orderSelection = archiveSelection(ids, scope, 'order');
  const invoiceSelection = archiveSelection(ids, scope, 'invoice');
  const [orders, invoices, orderLines, invoiceLines] = await Promise.all([
    readParentDigests(db, 'order', orderSelection),
    readParentDigests(db, 'invoice', invoiceSelection),
    readLineDigests(db, 'order_line', orderSelection),
    readLineDigests(db, 'invoice_line', invoiceSelection),
  ]);
  return {
    digests: new Map<ArchiveEntity, Map<number, PartnerDigest>>([
      ['order', orders],
      ['order_line', orderLines.digests],
      ['invoice', invoices],
      ['invoice_line', invoiceLines.digests],
    ]),
    lineMappings: orderLines.mappings,
    orphanParents: new Map<ArchiveEntity, OrphanedLines[]>([
      ['order_line', orderLines.orphans],
      ['invoice_line', invoiceLines.orphans],
    ]),
    scopedOrphans: new Map<ArchiveEntity, Map<number, OrphanedLines[]>>([
      ['order_line', orderLines.scopedOrphans],
      ['invoice_line', invoiceLines.scopedOrphans],
    ]),
  };
}
