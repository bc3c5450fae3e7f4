import type { Knex } from 'knex';

/** Where a partner's legacy keys of one entity ended up in the target. */
export interface AccountedKeys {
  loaded: number[];
  quarantined: number[];
  skipped: number[];
}

const LOADED_SQL: Record<'partner' | 'user' | 'customer', string> = {
  partner: 'SELECT legacy_partner_id AS k FROM marketplace.accounts WHERE legacy_partner_id = ?',
  user: `SELECT au.legacy_user_id AS k FROM marketplace.account_users au
           JOIN marketplace.accounts a ON a.id = au.account_id WHERE a.legacy_partner_id = ?`,
  customer: `SELECT l.legacy_customer_id AS k FROM marketplace.licensees l
               JOIN marketplace.accounts a ON a.id = l.account_id WHERE a.legacy_partner_id = ?`,
};

async function openProblemKeys(db: Knex, table: 'quarantine' | 'skipped', entity: string, partnerId: number): Promise<number[]> {
  const rows = await db(`migration.${table}`).select('legacy_key')
    .where({ entity, legacy_partner_id: partnerId }).whereNull('resolved_at');
  return rows.map((row: { legacy_key: string }) => Number(row.legacy_key));
}

/** Loaded (marketplace), quarantined and skipped legacy keys of a partner's partner row, users or customers. */
export async function readAccountedKeys(db: Knex, entity: 'partner' | 'user' | 'customer', partnerId: number): Promise<AccountedKeys> {
  const [loaded, quarantined, skipped] = await Promise.all([
    db.raw<{ rows: Array<{ k: number }> }>(LOADED_SQL[entity], [partnerId]).then((result) => result.rows.map((row) => Number(row.k))),
    openProblemKeys(db, 'quarantine', entity, partnerId),
    openProblemKeys(db, 'skipped', entity, partnerId),
  ]);
  return { loaded, quarantined, skipped };
}

/** Open quarantine and skipped rows of an archive entity for a partner (the mapping allows none). */
export async function countProblemRows(db: Knex, entity: string, partnerId: number): Promise<{ quarantined: number; skipped: number }> {
  const [quarantined, skipped] = await Promise.all([
    openProblemKeys(db, 'quarantine', entity, partnerId),
    openProblemKeys(db, 'skipped', entity, partnerId),
  ]);
  return { quarantined: quarantined.length, skipped: skipped.length };
}
