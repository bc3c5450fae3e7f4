import type { Knex } from 'knex';

/** A migrated partner's marketplace account, with its buyer's country (the language of its messages). */
export interface AccountOfPartner {
  legacy_partner_id: number;
  account_id: string;
  name: string;
  mpn_id: string | null;
  country: string | null;
}

/**
 * The accounts of those of `partnerIds` that have one, by legacy partner id: what a cutover
 * needs to address a partner's messages. A partner with no account (closed, or quarantined) is
 * not in the map.
 */
export async function readCutoverAccounts(db: Knex, partnerIds: number[]): Promise<Map<number, AccountOfPartner>> {
  const { rows } = await db.raw<{ rows: AccountOfPartner[] }>(
    `SELECT a.legacy_partner_id, a.id AS account_id, a.name, a.mpn_id, b.country
       FROM marketplace.accounts a
       LEFT JOIN marketplace.buyers b ON b.account_id = a.id
      WHERE a.legacy_partner_id = ANY(?::int[])`,
    [partnerIds],
  );
  return new Map(rows.map((row) => [Number(row.legacy_partner_id), row]));
}
