import type { Knex } from 'knex';

/** Problems of one (entity, reason) with their count and up to 5 examples (the report's `ProblemGroup`). */
export interface ProblemGroupRow {
  entity: string;
  reason: string;
  count: number;
  examples: Array<{ partnerId: number; legacyKey: string; detail: string | null }>;
}

/** Open quarantine or skipped rows, or findings, of these partners grouped by (entity, reason) with counts and up to 5 examples. */
export async function readProblemGroups(
  db: Knex,
  table: 'quarantine' | 'skipped' | 'findings',
  partnerIds: number[],
): Promise<ProblemGroupRow[]> {
  const reason = table === 'findings' ? 'code' : 'reason';
  const open = table === 'findings' ? '' : 'AND resolved_at IS NULL';
  const result = await db.raw<{
    rows: Array<{ entity: string; reason: string; n: number; examples: ProblemGroupRow['examples'] }>;
  }>(
    `SELECT entity, ${reason} AS reason, count(*)::int AS n,
            (array_agg(json_build_object('partnerId', legacy_partner_id, 'legacyKey', legacy_key, 'detail', detail) ORDER BY id))[1:5] AS examples
       FROM (SELECT DISTINCT ON (entity, legacy_key, ${reason}) * FROM migration.${table}
              WHERE legacy_partner_id = ANY(?::int[]) ${open} ORDER BY entity, legacy_key, ${reason}, id DESC) latest
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [[...partnerIds]],
  );
  return result.rows.map((row) => ({ entity: row.entity, reason: row.reason, count: row.n, examples: row.examples }));
}
