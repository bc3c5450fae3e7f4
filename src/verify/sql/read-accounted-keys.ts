import type { Knex } from 'knex';

/** Where a partner's legacy keys of one entity ended up in the target. */
export interface AccountedKeys {
  loaded: number[];
  quarantined: number[];
  skipped: number[];
}

/** The live entities accounted for key by key. */
export type AccountEntity = 'partner' | 'user' | 'customer';

/** Per partner: loaded, quarantined and skipped keys of its live entities, and open problem counts of every entity. */
export interface PartnerAccounting {
  keys: Record<AccountEntity, AccountedKeys>;
  /** Open quarantine and skipped rows per entity (archive entities included), counted. */
  problems: Map<string, { quarantined: number; skipped: number }>;
  /** The legacy keys of those rows per entity, for a scoped check to count its scope's only. */
  problemKeys: Map<string, { quarantined: string[]; skipped: string[] }>;
}

const emptyAccounting = (): PartnerAccounting => ({
  keys: {
    partner: { loaded: [], quarantined: [], skipped: [] },
    user: { loaded: [], quarantined: [], skipped: [] },
    customer: { loaded: [], quarantined: [], skipped: [] },
  },
  problems: new Map(),
  problemKeys: new Map(),
});

/**
 * Loaded (marketplace rows; one kept `Deleted` for a legacy row that no longer migrates is not
 * loaded, its problem row accounts for it), quarantined and skipped legacy keys of these partners' partner rows,
 * users and customers, and the open problem counts of each entity; two statements for all.
 */
export async function readAccounting(
  db: Knex,
  partnerIds: ReadonlyArray<number>,
): Promise<Map<number, PartnerAccounting>> {
  const result = new Map<number, PartnerAccounting>(partnerIds.map((id) => [id, emptyAccounting()]));
  if (partnerIds.length === 0) return result;
  const [loaded, problems] = await Promise.all([
    db.raw<{ rows: Array<{ p: number; entity: AccountEntity; k: number }> }>(
      `SELECT a.legacy_partner_id AS p, 'partner' AS entity, a.legacy_partner_id AS k
         FROM marketplace.accounts a WHERE a.legacy_partner_id = ANY(:ids::int[])
       UNION ALL
       SELECT a.legacy_partner_id, 'user', au.legacy_user_id FROM marketplace.account_users au
         JOIN marketplace.accounts a ON a.id = au.account_id
        WHERE a.legacy_partner_id = ANY(:ids::int[]) AND au.status <> 'Deleted'
       UNION ALL
       SELECT a.legacy_partner_id, 'customer', l.legacy_customer_id FROM marketplace.licensees l
         JOIN marketplace.accounts a ON a.id = l.account_id
        WHERE a.legacy_partner_id = ANY(:ids::int[]) AND l.status <> 'Deleted'`,
      { ids: [...partnerIds] },
    ),
    db.raw<{ rows: Array<{ place: 'quarantined' | 'skipped'; entity: string; p: number; k: string }> }>(
      `SELECT 'quarantined' AS place, entity, legacy_partner_id AS p, legacy_key AS k FROM migration.quarantine
        WHERE legacy_partner_id = ANY(:ids::int[]) AND resolved_at IS NULL
       UNION ALL
       SELECT 'skipped', entity, legacy_partner_id, legacy_key FROM migration.skipped
        WHERE legacy_partner_id = ANY(:ids::int[]) AND resolved_at IS NULL`,
      { ids: [...partnerIds] },
    ),
  ]);
  for (const row of loaded.rows) result.get(Number(row.p))?.keys[row.entity].loaded.push(Number(row.k));
  for (const row of problems.rows) {
    const accounting = result.get(Number(row.p));
    if (!accounting) continue;
    const counts = accounting.problems.get(row.entity) ?? { quarantined: 0, skipped: 0 };
    counts[row.place] += 1;
    accounting.problems.set(row.entity, counts);
    const keys = accounting.problemKeys.get(row.entity) ?? { quarantined: [], skipped: [] };
    keys[row.place].push(String(row.k));
    accounting.problemKeys.set(row.entity, keys);
    if (row.entity === 'partner' || row.entity === 'user' || row.entity === 'customer')
      accounting.keys[row.entity][row.place].push(Number(row.k));
  }
  return result;
}
