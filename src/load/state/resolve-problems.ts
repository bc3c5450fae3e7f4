import type { ClientBase } from 'pg';
import type { ProblemTable } from './upsert-problems';

/**
 * Closes open quarantine or skipped rows of legacy rows that now have another outcome (loaded,
 * or kept out for the other kind of reason), so one legacy row is never counted twice.
 */
export async function resolveProblems(
  client: ClientBase,
  table: ProblemTable,
  keys: ReadonlyArray<{ entity: string; legacyKey: string }>,
): Promise<number> {
  if (keys.length === 0) return 0;
  const result = await client.query(
    `UPDATE ${table} AS p SET resolved_at = now()
       FROM unnest($1::text[], $2::text[]) AS k(entity, legacy_key)
      WHERE p.resolved_at IS NULL AND p.entity = k.entity AND p.legacy_key = k.legacy_key`,
    [keys.map((key) => key.entity), keys.map((key) => key.legacyKey)],
  );
  return result.rowCount ?? 0;
}
