import type { ClientBase } from 'pg';
import { ContractViolationError } from '../../core/errors';
import type { IdMapEntry } from '../../core/outcomes';

/**
 * Records legacy key -> marketplace id mappings, then checks them: a legacy key already mapped
 * to another id, or an id already taken by another key, is a ContractViolationError (ids must
 * be stable and unique both ways). The check is a second statement so that, under READ
 * COMMITTED, it also sees a conflicting mapping another worker committed meanwhile.
 */
export async function insertIdMap(
  client: ClientBase,
  runId: string,
  entries: ReadonlyArray<IdMapEntry>,
): Promise<number> {
  if (entries.length === 0) return 0;
  const params = [
    entries.map((entry) => entry.legacyTable),
    entries.map((entry) => entry.legacyKey),
    entries.map((entry) => entry.marketplaceId),
  ];
  const inserted = await client.query(
    `INSERT INTO migration.id_map (legacy_table, legacy_key, marketplace_id, run_id)
     SELECT e.legacy_table, e.legacy_key, e.marketplace_id, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS e(legacy_table, legacy_key, marketplace_id)
     ON CONFLICT DO NOTHING`,
    [...params, runId],
  );
  // Every entry went in, so the unique constraints saw no clash: nothing to look for.
  if ((inserted.rowCount ?? 0) === entries.length) return entries.length;
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
    params,
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
  return inserted.rowCount ?? 0;
}
