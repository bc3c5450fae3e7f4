/** Partners -> accounts and buyers (MAPPING.md, "Partners -> accounts and buyers"). */
import { trimWhitespace } from '../core/canonical/trim';
import { idFromLegacyInt } from '../core/ids';
import type { LegacyPartner } from '../core/legacy-model';
import type { BatchResult, QuarantineReason } from '../core/outcomes';
import type { AccountRow, BuyerRow } from '../core/target-model';
import { BatchBuilder } from './batch-builder';
import { refusalOf, type SellerRef, type TransformContext } from './context';
import { ENUMS, matchEnum } from './enums';
import { normaliseCountry, normaliseCurrency, normaliseEmail, optionalText, quoteForDetail } from './normalise';

/**
 * What becomes of a partner, and the marketplace ids its other rows hang off. Every job of the
 * partner recomputes it from the partner row, so jobs need not share state.
 */
export interface PartnerDecision {
  partnerId: number;
  outcome: 'migrated' | 'closed' | 'quarantined';
  /** `ACC-…` when migrated, else NULL (archive rows then carry no account). */
  accountId: string | null;
  buyerId: string | null;
  sellerId: string | null;
  /** The skip or quarantine reason code when not migrated. */
  reason?: string;
}

interface PartnerClassification {
  decision: PartnerDecision;
  detail: string;
  status?: 'Active' | 'Suspended';
  country?: string;
  currency?: string;
  seller?: SellerRef;
}

function notMigrated(
  partnerId: number,
  outcome: 'closed' | 'quarantined',
  reason: string,
  detail: string,
): PartnerClassification {
  return { decision: { partnerId, outcome, accountId: null, buyerId: null, sellerId: null, reason }, detail };
}

// The rules in MAPPING.md order: the first that matches decides.
function classifyPartner(partner: LegacyPartner, ctx: TransformContext): PartnerClassification {
  const id = partner.PartnerId;
  const status = matchEnum(ENUMS.partnerStatus, partner.Status);
  if (status === undefined) {
    return notMigrated(
      id,
      'quarantined',
      'unknown_enum',
      `Status ${quoteForDetail(partner.Status)} is not a known partner status`,
    );
  }
  if (status === 'Closed') return notMigrated(id, 'closed', 'partner_closed', 'partner is Closed');
  const country = normaliseCountry(partner.CountryCode);
  const seller = country.ok ? ctx.sellersByCountry.get(country.value) : undefined;
  if (!country.ok || seller === undefined) {
    const why = country.ok ? 'has no seller' : 'is not an ISO 3166-1 alpha-2 code';
    return notMigrated(
      id,
      'quarantined',
      'no_seller_for_country',
      `country ${quoteForDetail(partner.CountryCode)} ${why}`,
    );
  }
  const currency = normaliseCurrency(partner.CurrencyCode);
  if (!currency.ok) {
    return notMigrated(
      id,
      'quarantined',
      'invalid_currency',
      `currency ${quoteForDetail(partner.CurrencyCode)} is not an ISO 4217 code`,
    );
  }
  const refused = refusalOf(ctx, 'partner', String(id));
  if (refused !== undefined) return notMigrated(id, 'quarantined', 'target_refused', refused);
  return {
    decision: {
      partnerId: id,
      outcome: 'migrated',
      accountId: idFromLegacyInt('account', id),
      buyerId: idFromLegacyInt('buyer', id),
      sellerId: seller.id,
    },
    detail: '',
    status,
    country: country.value,
    currency: currency.value,
    seller,
  };
}

/** Decides a partner's outcome and ids. Cheap and pure: recomputed by every job of the partner. */
export function decidePartner(partner: LegacyPartner, ctx: TransformContext): PartnerDecision {
  return classifyPartner(partner, ctx).decision;
}

/**
 * The account and buyer of a migrated partner, or the partner's skipped / quarantined row.
 * Entity `partner` counts exactly one extracted row.
 */
export function transformPartner(
  partner: LegacyPartner,
  ctx: TransformContext,
): { decision: PartnerDecision; result: BatchResult } {
  const classified = classifyPartner(partner, ctx);
  const { decision } = classified;
  const batch = new BatchBuilder();
  const ref = { entity: 'partner' as const, legacyKey: String(partner.PartnerId), legacyPartnerId: partner.PartnerId };
  if (decision.outcome === 'closed') {
    batch.skip(ref, 'partner_closed', classified.detail, partner);
    return { decision, result: batch.result };
  }
  if (decision.outcome === 'quarantined') {
    batch.quarantine(ref, decision.reason as QuarantineReason, classified.detail, partner);
    return { decision, result: batch.result };
  }
  const status = classified.status === 'Active' ? 'Active' : 'Disabled';
  const companyName = trimWhitespace(partner.CompanyName);
  const account: AccountRow = {
    id: decision.accountId!,
    legacy_partner_id: partner.PartnerId,
    type: 'Client',
    name: companyName,
    status,
    partner: true,
    external_id: trimWhitespace(partner.PartnerCode).toUpperCase(),
    mpn_id: optionalText(partner.MpnId),
  };
  const email = normaliseEmail(partner.PrimaryEmail);
  if (!email.ok && !email.absent) {
    batch.finding(
      'partner',
      ref.legacyKey,
      ref.legacyPartnerId,
      'invalid_email',
      'PrimaryEmail is not a valid e-mail address; buyer contact_email left NULL',
    );
  }
  const buyer: BuyerRow = {
    id: decision.buyerId!,
    legacy_partner_id: partner.PartnerId,
    account_id: account.id,
    seller_id: decision.sellerId!,
    name: optionalText(partner.LegalName) ?? companyName,
    tax_id: optionalText(partner.TaxId),
    address_line1: optionalText(partner.AddressLine1),
    city: optionalText(partner.City),
    post_code: optionalText(partner.PostalCode),
    country: classified.country!,
    currency: classified.currency!,
    contact_email: email.ok ? email.value : null,
    status,
  };
  batch.rows('accounts').push(account);
  batch.rows('buyers').push(buyer);
  batch.mapId('partner', ref.legacyKey, account.id);
  batch.loaded('partner');
  return { decision, result: batch.result };
}
