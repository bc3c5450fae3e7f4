import type { ClientBase } from 'pg';
import { ContractViolationError } from '../../core/errors';
import type { IdMapEntry } from '../../core/outcomes';

/**
 * Records legacy key -> marketplace id mappings, then checks them: a legacy key already mapped
 * to another id, or an id already taken by another key, is a ContractViolationError (ids must
 * be stable and unique both ways). The check is a second statement so that, under READ
 * COMMITTED, it also sees a conflicting mapping another worker committed meanwhile. It looks
 * only at the entries of the kinds (legacy tables) of which some entry did not go in: an entry
 * that went in clashed with no unique constraint, so it conflicts with nothing. A batch's
 * entries are mostly subscriptions, and users shared between partners (`user_email`) are the
 * usual kind already mapped: the check probes those, not the whole batch.
 */
export async function insertIdMap(
  client: ClientBase,
  runId: string,
  entries: ReadonlyArray<IdMapEntry>,
): Promise<number> {
  if (entries.length === 0) return 0;
  const inserted = await client.query<{ legacy_table: string; n: number }>(
    `WITH inserted AS (
       INSERT INTO migration.id_map (legacy_table, legacy_key, marketplace_id, run_id)
       SELECT e.legacy_table, e.legacy_key, e.marketplace_id, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS e(legacy_table, legacy_key, marketplace_id)
       ON CONFLICT DO NOTHING
       RETURNING legacy_table)
     SELECT legacy_table, count(*)::int AS n FROM inserted GROUP BY legacy_table`,
    [...columnsOf(entries), runId],
  );
  const insertedOf = new Map(inserted.rows.map((row) => [row.legacy_table, row.n]));
  const total = inserted.rows.reduce((sum, row) => sum + row.n, 0);
  // Every entry went in, so the unique constraints saw no clash: nothing to look for.
  if (total === entries.length) return total;
  const entriesOf = new Map<string, number>();
  for (const entry of entries) entriesOf.set(entry.legacyTable, (entriesOf.get(entry.legacyTable) ?? 0) + 1);
  const short = new Set([...entriesOf].filter(([kind, n]) => (insertedOf.get(kind) ?? 0) < n).map(([kind]) => kind));
  const conflicts = await client.query<{
    legacy_table: string;
    legacy_key: string;
    marketplace_id: string;
    mapped_table: string;
    mapped_key: string;
    mapped_id: string;
  }>(
    `WITH e AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS e(legacy_table, legacy_key, marketplace_id))
     SELECT e.*, m.legacy_table AS mapped_table, m.legacy_key AS mapped_key, m.marketplace_id AS mapped_id
       FROM e JOIN migration.id_map m ON m.legacy_table = e.legacy_table AND m.legacy_key = e.legacy_key
      WHERE m.marketplace_id <> e.marketplace_id
     UNION ALL
     SELECT e.*, m.legacy_table, m.legacy_key, m.marketplace_id
       FROM e JOIN migration.id_map m ON m.marketplace_id = e.marketplace_id
      WHERE (m.legacy_table, m.legacy_key) <> (e.legacy_table, e.legacy_key)
     LIMIT 5`,
    columnsOf(entries.filter((entry) => short.has(entry.legacyTable))),
  );
  if (conflicts.rows.length > 0) {
    const shown = conflicts.rows
      .map(
        (row) =>
          `${row.legacy_table}:${row.legacy_key} -> ${row.marketplace_id} conflicts with ${row.mapped_table}:${row.mapped_key} -> ${row.mapped_id}`,
      )
      .join('; ');
    throw new ContractViolationError(`id_map conflict: ${shown}`);
  }
  return total;
}

/** The entries as the three text arrays of an unnest. */
function columnsOf(entries: ReadonlyArray<IdMapEntry>): string[][] {
  return [
    entries.map((entry) => entry.legacyTable),
    entries.map((entry) => entry.legacyKey),
    entries.map((entry) => entry.marketplaceId),
  ];
}
