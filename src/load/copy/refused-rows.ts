import type { BatchResult } from '../../core/outcomes';
import type { AgreementRow, LicenseeRow, TargetTableKey } from '../../core/target-model';
import type { RejectedRowError } from './rejected-row-error';

/** A legacy row of a live entity whose marketplace row the target refused. */
export interface RefusedLegacyRow {
  entity: 'partner' | 'user' | 'customer';
  legacyKey: string;
  legacyPartnerId: number;
  /** Why, in one line (the table and the database's message). */
  why: string;
}

type Row = Record<string, unknown>;

function rowsOf(result: BatchResult, table: TargetTableKey): Row[] {
  return (result.rows[table] ?? []) as unknown as Row[];
}

/** The partner of a marketplace account id among the result's accounts. */
function partnerOfAccount(result: BatchResult, accountId: unknown): number | undefined {
  const account = rowsOf(result, 'accounts').find((row) => row.id === accountId);
  return account ? Number(account.legacy_partner_id) : undefined;
}

function customerOfLicensee(result: BatchResult, licenseeId: unknown): RefusedLegacyRow | undefined {
  const licensee = rowsOf(result, 'licensees').find((row) => row.id === licenseeId) as unknown as
    LicenseeRow | undefined;
  if (!licensee) return undefined;
  const partnerId = partnerOfAccount(result, licensee.account_id);
  if (partnerId === undefined) return undefined;
  return { entity: 'customer', legacyKey: String(licensee.legacy_customer_id), legacyPartnerId: partnerId, why: '' };
}

/**
 * The legacy row a refused marketplace row of `result` came from: an account or buyer its
 * partner, a user or account user its legacy user, a licensee its customer, an agreement or
 * subscription the customer whose licensee holds it. Undefined when the refused row is not one of
 * `result`'s (the very object), or is an archive row (the archive keeps every row: its refusal
 * stays an error).
 */
export function legacyRowOfRefused(result: BatchResult, error: RejectedRowError): RefusedLegacyRow | undefined {
  const { tableKey, row } = error;
  if (tableKey === null || row === null) return undefined;
  if (!rowsOf(result, tableKey).includes(row as Row)) return undefined;
  const refused = row as Row;
  const origin = ((): Omit<RefusedLegacyRow, 'why'> | undefined => {
    switch (tableKey) {
      case 'accounts':
      case 'buyers': {
        const partnerId = Number(refused.legacy_partner_id);
        return { entity: 'partner', legacyKey: String(partnerId), legacyPartnerId: partnerId };
      }
      case 'users': {
        const legacyUserId = refused.source_legacy_user_id;
        const member = rowsOf(result, 'account_users').find((one) => one.legacy_user_id === legacyUserId);
        const partnerId = member && partnerOfAccount(result, member.account_id);
        if (partnerId === undefined) return undefined;
        return { entity: 'user', legacyKey: String(legacyUserId), legacyPartnerId: partnerId };
      }
      case 'account_users': {
        const partnerId = partnerOfAccount(result, refused.account_id);
        if (partnerId === undefined) return undefined;
        return { entity: 'user', legacyKey: String(refused.legacy_user_id), legacyPartnerId: partnerId };
      }
      case 'licensees':
        return customerOfLicensee(result, refused.id);
      case 'agreements':
        return customerOfLicensee(result, refused.licensee_id);
      case 'subscriptions': {
        const agreement = rowsOf(result, 'agreements').find((one) => one.id === refused.agreement_id) as unknown as
          AgreementRow | undefined;
        return agreement && customerOfLicensee(result, agreement.licensee_id);
      }
      default:
        return undefined;
    }
  })();
  return origin && { ...origin, why: error.why };
}
