import type { Knex } from 'knex';

/** An account user of a migrated account, with the user's address and name (the recipient of its messages). */
export interface MemberOfAccount {
  account_id: string;
  account_user_id: string;
  legacy_user_id: number;
  group_name: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
}

/**
 * The account users of `accountIds`, ordered by legacy user id: the recipients of a cutover's
 * messages, in the order their `account-migrated` e-mails are chained.
 */
export async function readCutoverMembers(db: Knex, accountIds: string[]): Promise<MemberOfAccount[]> {
  const { rows } = await db.raw<{ rows: MemberOfAccount[] }>(
    `SELECT au.account_id, au.id AS account_user_id, au.legacy_user_id, au.group_name,
            u.email, u.first_name, u.last_name
       FROM marketplace.account_users au
       JOIN marketplace.users u ON u.id = au.user_id
      WHERE au.account_id = ANY(?::text[])
      ORDER BY au.legacy_user_id`,
    [accountIds],
  );
  return rows;
}
