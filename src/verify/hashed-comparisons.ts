import { EMPTY_CHECKSUM } from '../core/canonical';
import type { AgreementRow, LicenseeRow, SubscriptionRow } from '../core/target-model';
import { compareHashedRows, type ExpectedTable } from './compare-rows';
import type { MappedDecision, MappedPartner, VerifyMapping } from './mapping';
import type { CheckResult } from './model';
import type { PartnerCheckInputs } from './partner-check-inputs';
import type { HashedRow, HashedTable } from './sql/read-marketplace-rows';

/** A marketplace table compared through per-partner hashes (compareHashedRows); `columns` start with the id. */
export interface HashedComparison<Row extends HashedRow> extends Omit<ExpectedTable<Row>, 'expected' | 'actual'> {
  table: HashedTable;
}

const LICENSEES: HashedComparison<LicenseeRow> = {
  check: 'mapping_fidelity',
  entity: 'customer',
  table: 'licensees',
  columns: [
    'id',
    'legacy_customer_id',
    'account_id',
    'buyer_id',
    'seller_id',
    'name',
    'resale',
    'external_id',
    'tenant_id',
    'primary_domain',
    'country',
    'city',
    'contact_email',
    'status',
  ],
  idOf: (r) => r.id,
  legacyKeyOf: (r) => String(r.legacy_customer_id),
};

const AGREEMENTS: HashedComparison<AgreementRow> = {
  check: 'integrity',
  entity: 'agreement',
  table: 'agreements',
  columns: ['id', 'account_id', 'buyer_id', 'seller_id', 'licensee_id', 'sku', 'name', 'status'],
  idOf: (r) => r.id,
  legacyKeyOf: (r) => `${r.licensee_id}|${r.sku}`,
};

const SUBSCRIPTIONS: HashedComparison<SubscriptionRow> = {
  check: 'integrity',
  entity: 'subscription',
  table: 'subscriptions',
  columns: [
    'id',
    'agreement_id',
    'external_ref',
    'sku',
    'name',
    'quantity',
    'billing_period',
    'term_months',
    'start_date',
    'commitment_date',
    'termination_date',
    'auto_renew',
    'status',
  ],
  idOf: (r) => r.id,
  legacyKeyOf: (r) => r.external_ref,
};

/** The marketplace tables compared through hashes, with their compared columns (id first; as migration 0008 hashes). */
export const HASHED_COMPARISONS = [LICENSEES, AGREEMENTS, SUBSCRIPTIONS] as const;

/**
 * One partner's hashed marketplace tables: licensees as the transform makes them, agreements and
 * subscriptions as the replay of its history makes them. Equal hashes mean the stored rows are
 * the expected ones; otherwise they are read (`readStored`) and the differences named. Resolves
 * with the stored licensees (the expected ones unless they were read). Not async on purpose: the
 * replayed rows are garbage once hashed, and an async frame would keep them alive until every
 * partner of the chunk had had its turn.
 */
export function compareHashedTables<Decision extends MappedDecision>(
  mapping: Pick<VerifyMapping<Decision>, 'replaySubscriptions'>,
  partner: Pick<MappedPartner<Decision>, 'partnerId' | 'decision' | 'customerResult' | 'licensees'>,
  inputs: Pick<PartnerCheckInputs, 'hashes' | 'replayOrders'>,
  readStored: (table: HashedTable) => Promise<HashedRow[]>,
): Promise<{ checks: CheckResult[]; storedLicensees: LicenseeRow[] }> {
  const { partnerId, decision, customerResult, licensees } = partner;
  const replay = mapping.replaySubscriptions(decision, inputs.replayOrders.ordersOf(partnerId), licensees);
  const compare = <Row extends HashedRow>(spec: HashedComparison<Row>, expected: Row[], read = (rows: Row[]) => rows) =>
    compareHashedRows<Row>(
      partnerId,
      { ...spec, expected },
      inputs.hashes.get(spec.table)?.get(partnerId) ?? EMPTY_CHECKSUM,
      async () => read((await readStored(spec.table)) as Row[]),
    );
  let storedLicensees = (customerResult.rows.licensees ?? []) as LicenseeRow[];
  return Promise.all([
    compare(LICENSEES, storedLicensees, (rows) => (storedLicensees = rows)),
    compare(AGREEMENTS, (replay.rows.agreements ?? []) as AgreementRow[]),
    compare(SUBSCRIPTIONS, (replay.rows.subscriptions ?? []) as SubscriptionRow[]),
  ]).then((checks) => ({ checks, storedLicensees }));
}
