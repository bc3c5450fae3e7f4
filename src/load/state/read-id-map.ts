import type { Knex } from 'knex';
import type { IdMapEntry } from '../../core/outcomes';

const KEYS_PER_QUERY = 10_000;

/** Marketplace ids already mapped for these legacy keys of one legacy table: legacy key -> marketplace id. */
export async function readIdMap(
  db: Knex,
  legacyTable: IdMapEntry['legacyTable'],
  legacyKeys: ReadonlyArray<string>,
): Promise<Map<string, string>> {
  const mapped = new Map<string, string>();
  for (let start = 0; start < legacyKeys.length; start += KEYS_PER_QUERY) {
    const rows: Array<{ legacy_key: string; marketplace_id: string }> = await db('migration.id_map')
      .select('legacy_key', 'marketplace_id')
      .where({ legacy_table: legacyTable })
      .whereIn('legacy_key', legacyKeys.slice(start, start + KEYS_PER_QUERY));
    for (const row of rows) mapped.set(row.legacy_key, row.marketplace_id);
  }
  return mapped;
}
