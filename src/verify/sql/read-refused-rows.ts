import type { Knex } from 'knex';

/** A legacy row quarantined because the target refused its marketplace row. */
export interface RefusedRow {
  entity: 'partner' | 'user' | 'customer';
  legacyKey: string;
  detail: string;
}

/**
 * Per partner, its open quarantine rows of reason `target_refused`; one statement. Verification
 * recomputes the marketplace through the transforms with them: a refused row is expected absent,
 * and quarantined.
 */
export async function readRefusedRows(db: Knex, partnerIds: ReadonlyArray<number>): Promise<Map<number, RefusedRow[]>> {
  const result = new Map<number, RefusedRow[]>();
  if (partnerIds.length === 0) return result;
  const { rows } = await db.raw<{
    rows: Array<{ p: number; entity: RefusedRow['entity']; k: string; detail: string | null }>;
  }>(
    `SELECT legacy_partner_id AS p, entity, legacy_key AS k, detail FROM migration.quarantine
      WHERE legacy_partner_id = ANY(:ids::int[]) AND resolved_at IS NULL AND reason = 'target_refused'
        AND entity IN ('partner', 'user', 'customer')
      ORDER BY legacy_partner_id, entity, legacy_key`,
    { ids: [...partnerIds] },
  );
  for (const row of rows) {
    const partnerId = Number(row.p);
    const refused = result.get(partnerId) ?? [];
    refused.push({ entity: row.entity, legacyKey: String(row.k), detail: row.detail ?? '' });
    result.set(partnerId, refused);
  }
  return result;
}
