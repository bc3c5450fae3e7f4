import type { Knex } from 'knex';

/** A marketplace account user and the legacy partner of its account. */
export interface AccountUserOfPartner {
  accountUserId: string;
  partnerId: number;
}

/**
 * The account users whose invitations an operator acts on: the one with id `accountUserId`, or
 * (given `partnerId` instead) every account user of that legacy partner's account, by legacy
 * user id. Empty when there is none (not migrated, or closed). The caller gives exactly one.
 */
export async function readAccountUsers(
  db: Knex,
  selection: { accountUserId?: string; partnerId?: number },
): Promise<AccountUserOfPartner[]> {
  const { rows } = await db.raw<{ rows: Array<{ id: string; legacy_partner_id: number }> }>(
    `SELECT au.id, a.legacy_partner_id
       FROM marketplace.account_users au
       JOIN marketplace.accounts a ON a.id = au.account_id
      WHERE ${selection.accountUserId !== undefined ? 'au.id = ?' : 'a.legacy_partner_id = ?'}
      ORDER BY au.legacy_user_id, au.id`,
    [selection.accountUserId ?? selection.partnerId!],
  );
  return rows.map((row) => ({ accountUserId: row.id, partnerId: Number(row.legacy_partner_id) }));
}
