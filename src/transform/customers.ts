/** Customers -> licensees (MAPPING.md, "Customers -> licensees"). */
import { trimWhitespace } from '../core/canonical/trim';
import { idFromLegacyInt } from '../core/ids';
import type { LegacyCustomer, LegacyPartner } from '../core/legacy-model';
import type { BatchResult } from '../core/outcomes';
import type { LicenseeRow } from '../core/target-model';
import { BatchBuilder } from './batch-builder';
import { refusalOf, type TransformContext } from './context';
import { normaliseCountry, normaliseEmail, normaliseGuid, optionalText, quoteForDetail } from './normalise';
import type { PartnerDecision } from './partner';
import { gateOnPartner } from './partner-gate';

type CustomerVerdict =
  | { kind: 'migrate'; tenantId: string | null; tenantInvalid: boolean }
  | { kind: 'partner' }
  | { kind: 'soft_deleted' }
  | { kind: 'duplicate_tenant'; keptCustomerId: number }
  | { kind: 'refused'; detail: string };

// One pass in CustomerId order, so the lower id of a duplicated tenant is the one that migrates.
function classifyCustomers(
  decision: PartnerDecision,
  customers: LegacyCustomer[],
  ctx: TransformContext | undefined,
): Array<[LegacyCustomer, CustomerVerdict]> {
  const sorted = [...customers].sort((a, b) => a.CustomerId - b.CustomerId);
  const tenants = new Map<string, number>();
  return sorted.map((customer): [LegacyCustomer, CustomerVerdict] => {
    if (decision.outcome !== 'migrated') return [customer, { kind: 'partner' }];
    if (customer.IsDeleted) return [customer, { kind: 'soft_deleted' }];
    const tenant = normaliseGuid(customer.TenantId);
    if (tenant.ok) {
      const kept = tenants.get(tenant.value);
      if (kept !== undefined) return [customer, { kind: 'duplicate_tenant', keptCustomerId: kept }];
      tenants.set(tenant.value, customer.CustomerId);
    }
    const refused = ctx && refusalOf(ctx, 'customer', String(customer.CustomerId));
    if (refused !== undefined) return [customer, { kind: 'refused', detail: refused }];
    return [
      customer,
      { kind: 'migrate', tenantId: tenant.ok ? tenant.value : null, tenantInvalid: !tenant.ok && !tenant.absent },
    ];
  });
}

/** The licensee id of a customer: its legacy id, so every job derives the same one. */
export function licenseeIdOf(customerId: number): string {
  return idFromLegacyInt('licensee', customerId);
}

function licenseeRow(
  decision: PartnerDecision,
  customer: LegacyCustomer,
  tenantId: string | null,
  country: string | null,
  contactEmail: string | null,
  status: 'Active' | 'Deleted' = 'Active',
): LicenseeRow {
  return {
    id: licenseeIdOf(customer.CustomerId),
    legacy_customer_id: customer.CustomerId,
    account_id: decision.accountId!,
    buyer_id: decision.buyerId!,
    seller_id: decision.sellerId!,
    name: trimWhitespace(customer.CustomerName),
    resale: true,
    external_id: String(customer.CustomerId),
    tenant_id: tenantId,
    primary_domain: optionalText(customer.PrimaryDomain),
    country,
    city: optionalText(customer.City),
    contact_email: contactEmail,
    status,
  };
}

/**
 * The licensee a customer that was migrated once keeps after it stops migrating (soft-deleted,
 * or a duplicate tenant): mapped as ever, status `Deleted`, never left claiming to be live.
 */
function retiredLicensee(decision: PartnerDecision, customer: LegacyCustomer): LicenseeRow {
  const tenant = normaliseGuid(customer.TenantId);
  const country = normaliseCountry(customer.CountryCode);
  const email = normaliseEmail(customer.ContactEmail);
  return licenseeRow(
    decision,
    customer,
    tenant.ok ? tenant.value : null,
    country.ok ? country.value : null,
    email.ok ? email.value : null,
    'Deleted',
  );
}

const NONE: ReadonlySet<number> = new Set();

/**
 * All customers of one partner at once (duplicate tenants need the whole set). Rules in
 * MAPPING.md order: partner closed / quarantined, soft-deleted, duplicate tenant, refused by the
 * target. `ctx.migratedCustomers` holds the customers that have a licensee already (id_map): one
 * that is soft-deleted or a duplicate tenant now keeps it, status `Deleted` (the nightly sync's
 * rule), beside its problem row.
 */
export function transformCustomers(
  decision: PartnerDecision,
  partner: LegacyPartner,
  customers: LegacyCustomer[],
  ctx: TransformContext,
): BatchResult {
  const batch = new BatchBuilder();
  batch.counts('customer');
  const migrated = ctx.migratedCustomers ?? NONE;
  for (const [customer, verdict] of classifyCustomers(decision, customers, ctx)) {
    const ref = {
      entity: 'customer' as const,
      legacyKey: String(customer.CustomerId),
      legacyPartnerId: partner.PartnerId,
    };
    switch (verdict.kind) {
      case 'partner':
        gateOnPartner(batch, decision, ref, customer);
        continue;
      case 'soft_deleted':
        batch.skip(ref, 'soft_deleted', 'customer is soft-deleted (IsDeleted = 1)', customer);
        if (migrated.has(customer.CustomerId)) batch.rows('licensees').push(retiredLicensee(decision, customer));
        continue;
      case 'duplicate_tenant':
        batch.quarantine(
          ref,
          'duplicate_tenant',
          `same tenant id as customer ${verdict.keptCustomerId}, which migrates`,
          customer,
        );
        if (migrated.has(customer.CustomerId)) batch.rows('licensees').push(retiredLicensee(decision, customer));
        continue;
      case 'refused':
        batch.quarantine(ref, 'target_refused', verdict.detail, customer);
        continue;
      case 'migrate':
        break;
    }
    if (verdict.tenantInvalid) {
      batch.finding(
        'customer',
        ref.legacyKey,
        ref.legacyPartnerId,
        'invalid_guid',
        `TenantId ${quoteForDetail(customer.TenantId)} is not a GUID; tenant_id left NULL`,
      );
    }
    const country = normaliseCountry(customer.CountryCode);
    if (!country.ok && !country.absent) {
      batch.finding(
        'customer',
        ref.legacyKey,
        ref.legacyPartnerId,
        'invalid_country',
        `country ${quoteForDetail(customer.CountryCode)} is not an ISO 3166-1 alpha-2 code; left NULL`,
      );
    }
    const email = normaliseEmail(customer.ContactEmail);
    if (!email.ok && !email.absent) {
      batch.finding(
        'customer',
        ref.legacyKey,
        ref.legacyPartnerId,
        'invalid_email',
        'ContactEmail is not a valid e-mail address; left NULL',
      );
    }
    const id = licenseeIdOf(customer.CustomerId);
    batch
      .rows('licensees')
      .push(
        licenseeRow(
          decision,
          customer,
          verdict.tenantId,
          country.ok ? country.value : null,
          email.ok ? email.value : null,
        ),
      );
    batch.mapId('customer', ref.legacyKey, id);
    batch.loaded('customer');
  }
  return batch.result;
}

/**
 * CustomerId -> licensee id, for exactly the customers that have a licensee: those that migrate,
 * and those of `ctx.migratedCustomers` that keep a `Deleted` one (their orders keep their licensee
 * and their subscriptions replay as before). Orders and the replay look them up; `ctx` also gives
 * the customers the target refused, which have none.
 */
export function licenseeLookup(
  decision: PartnerDecision,
  customers: LegacyCustomer[],
  ctx?: TransformContext,
): ReadonlyMap<number, string> {
  const lookup = new Map<number, string>();
  if (decision.outcome !== 'migrated') return lookup;
  const migrated = ctx?.migratedCustomers ?? NONE;
  for (const [customer, verdict] of classifyCustomers(decision, customers, ctx)) {
    const keeps =
      (verdict.kind === 'soft_deleted' || verdict.kind === 'duplicate_tenant') && migrated.has(customer.CustomerId);
    if (verdict.kind === 'migrate' || keeps) lookup.set(customer.CustomerId, licenseeIdOf(customer.CustomerId));
  }
  return lookup;
}

/**
 * The customers of one partner that would not migrate if it did (soft-deleted, duplicate
 * tenant): those whose licensee, when they had one, a caller looks up in id_map.
 */
export function customersKeptOut(customers: LegacyCustomer[]): number[] {
  const asMigrated = { outcome: 'migrated' } as PartnerDecision;
  return classifyCustomers(asMigrated, customers, undefined)
    .filter(([, verdict]) => verdict.kind !== 'migrate')
    .map(([customer]) => customer.CustomerId);
}
