import type { Knex } from 'knex';
import type {
  AccountRow, AccountUserRow, AgreementRow, BuyerRow, LicenseeRow, SubscriptionRow, UserRow,
} from '../../core/target-model';

/** A partner's live objects as stored, in the row forms of core/target-model.ts. */
export interface MarketplaceRows {
  accounts: AccountRow[];
  buyers: BuyerRow[];
  users: UserRow[];
  account_users: AccountUserRow[];
  licensees: LicenseeRow[];
  agreements: AgreementRow[];
  subscriptions: SubscriptionRow[];
}

/** Everything of the partner's account (and the users its memberships point at, and any row keyed by its legacy ids). */
export async function readMarketplaceRows(db: Knex, partnerId: number, userIds: string[]): Promise<MarketplaceRows> {
  const accountIds = db('marketplace.accounts').select('id').where({ legacy_partner_id: partnerId });
  const [accounts, buyers, accountUsers, licensees, agreements, subscriptions] = await Promise.all([
    db('marketplace.accounts').select('*').where({ legacy_partner_id: partnerId }),
    db('marketplace.buyers').select('*').where({ legacy_partner_id: partnerId }).orWhereIn('account_id', accountIds),
    db('marketplace.account_users').select('*').whereIn('account_id', accountIds),
    db('marketplace.licensees').select('*').whereIn('account_id', accountIds),
    db('marketplace.agreements').select('*').whereIn('account_id', accountIds),
    db('marketplace.subscriptions').select('marketplace.subscriptions.*')
      .whereIn('agreement_id', db('marketplace.agreements').select('id').whereIn('account_id', accountIds)),
  ]);
  const memberIds = [...new Set([...userIds, ...accountUsers.map((row: AccountUserRow) => row.user_id)])];
  const users = memberIds.length === 0 ? [] : await db('marketplace.users').select('*').whereIn('id', memberIds);
  return { accounts, buyers, users, account_users: accountUsers, licensees, agreements, subscriptions };
}
