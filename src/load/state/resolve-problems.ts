import type { ClientBase } from 'pg';
import type { ProblemTable } from './upsert-problems';

/**
 * Closes open quarantine or skipped rows of legacy rows that now have another outcome (loaded,
 * or kept out for the other kind of reason), so one legacy row is never counted twice. Only the
 * keys of entities that have an open row at all are sent (one probe of the open-row index per
 * entity first): a batch loads tens of thousands of keys, nearly all of entities (orders'
 * subscriptions, say) of which nothing is open, and sending them was most of the statement's cost.
 */
export async function resolveProblems(
  client: ClientBase,
  table: ProblemTable,
  keys: ReadonlyArray<{ entity: string; legacyKey: string }>,
): Promise<number> {
  if (keys.length === 0) return 0;
  const entities = [...new Set(keys.map((key) => key.entity))];
  const open = await client.query<{ entity: string }>(
    `SELECT e.entity FROM unnest($1::text[]) AS e(entity)
      WHERE EXISTS (SELECT 1 FROM ${table} p WHERE p.resolved_at IS NULL AND p.entity = e.entity)`,
    [entities],
  );
  if (open.rows.length === 0) return 0;
  const withOpenRows = new Set(open.rows.map((row) => row.entity));
  const wanted = keys.filter((key) => withOpenRows.has(key.entity));
  const result = await client.query(
    `UPDATE ${table} AS p SET resolved_at = now()
       FROM unnest($1::text[], $2::text[]) AS k(entity, legacy_key)
      WHERE p.resolved_at IS NULL AND p.entity = k.entity AND p.legacy_key = k.legacy_key`,
    [wanted.map((key) => key.entity), wanted.map((key) => key.legacyKey)],
  );
  return result.rowCount ?? 0;
}
