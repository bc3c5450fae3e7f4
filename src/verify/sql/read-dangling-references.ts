import type { Knex } from 'knex';

/** A reference in `marketplace` or `archive` that does not resolve. */
export interface DanglingReference {
  entity: string;
  legacyKey: string | null;
  marketplaceId: string | null;
  detail: string;
}

/**
 * partner, entity, legacy key, marketplace id, detail — every query below yields these five
 * columns. The archive's account and licensee ids are checked from their distinct values
 * (references-check.ts), not row by row here.
 */
const CHECKS: ReadonlyArray<string> = [
  `SELECT a.legacy_partner_id, 'partner', a.legacy_partner_id::text, a.id, 'account has no buyer'
     FROM marketplace.accounts a WHERE a.legacy_partner_id = ANY(:ids::int[])
      AND NOT EXISTS (SELECT 1 FROM marketplace.buyers b WHERE b.account_id = a.id)`,
  `SELECT b.legacy_partner_id, 'partner', b.legacy_partner_id::text, b.id,
          'buyer references a missing account or seller'
     FROM marketplace.buyers b WHERE b.legacy_partner_id = ANY(:ids::int[])
      AND (NOT EXISTS (SELECT 1 FROM marketplace.accounts a WHERE a.id = b.account_id)
        OR NOT EXISTS (SELECT 1 FROM marketplace.sellers s WHERE s.id = b.seller_id))`,
  `SELECT a.legacy_partner_id, 'customer', l.legacy_customer_id::text, l.id,
          'licensee references a missing account, buyer or seller'
     FROM marketplace.licensees l JOIN marketplace.accounts a ON a.id = l.account_id
    WHERE a.legacy_partner_id = ANY(:ids::int[])
      AND (NOT EXISTS (SELECT 1 FROM marketplace.buyers b WHERE b.id = l.buyer_id AND b.account_id = l.account_id)
        OR NOT EXISTS (SELECT 1 FROM marketplace.sellers s WHERE s.id = l.seller_id))`,
  `SELECT a.legacy_partner_id, 'user', au.legacy_user_id::text, au.id, 'account user references a missing user'
     FROM marketplace.account_users au JOIN marketplace.accounts a ON a.id = au.account_id
    WHERE a.legacy_partner_id = ANY(:ids::int[])
      AND NOT EXISTS (SELECT 1 FROM marketplace.users u WHERE u.id = au.user_id)`,
  `SELECT a.legacy_partner_id, 'subscription', NULL, g.id, 'agreement references a missing licensee, buyer or seller'
     FROM marketplace.agreements g JOIN marketplace.accounts a ON a.id = g.account_id
    WHERE a.legacy_partner_id = ANY(:ids::int[])
      AND (NOT EXISTS (SELECT 1 FROM marketplace.licensees l WHERE l.id = g.licensee_id AND l.account_id = g.account_id)
        OR NOT EXISTS (SELECT 1 FROM marketplace.buyers b WHERE b.id = g.buyer_id)
        OR NOT EXISTS (SELECT 1 FROM marketplace.sellers s WHERE s.id = g.seller_id))`,
];

/** Every unresolved reference of these partners' marketplace objects, per partner (at most 1,000 in all). */
export async function readDanglingReferences(
  db: Knex,
  partnerIds: ReadonlyArray<number>,
): Promise<Map<number, DanglingReference[]>> {
  const result = new Map<number, DanglingReference[]>(partnerIds.map((id) => [id, []]));
  if (partnerIds.length === 0) return result;
  const sql = CHECKS.map((check) => `(${check})`).join(' UNION ALL ');
  const rows = await db.raw<{ rows: Array<Record<string, string | number | null>> }>(
    `SELECT * FROM (${sql}) AS dangling(partner_id, entity, legacy_key, marketplace_id, detail)
      LIMIT 1000`,
    { ids: [...partnerIds] },
  );
  for (const row of rows.rows) {
    result.get(Number(row.partner_id))?.push({
      entity: String(row.entity),
      legacyKey: row.legacy_key === null ? null : String(row.legacy_key),
      marketplaceId: row.marketplace_id === null ? null : String(row.marketplace_id),
      detail: String(row.detail),
    });
  }
  return result;
}
