/**
 * The mapping as the checks receive it. Verify does not import the transform stage: the pipeline
 * runs the transforms and passes their results and functions in, typed here by what the checks use.
 */
import type { LegacyCustomer, LegacyUser } from '../core/legacy-model';
import type { BatchResult } from '../core/outcomes';
import type { ReplayOrder } from '../core/replay-model';

/** What the checks read of the transform's decision on a partner (src/transform's PartnerDecision). */
export interface MappedDecision {
  partnerId: number;
  outcome: 'migrated' | 'closed' | 'quarantined';
  /** `ACC-…` when migrated, else NULL (archive rows then carry no account). */
  accountId: string | null;
}

/** One partner's account side as the mapping makes it: the pipeline's transforms of its legacy rows. */
export interface MappedPartner<Decision extends MappedDecision = MappedDecision> {
  partnerId: number;
  decision: Decision;
  /** The partner's legacy users and customers at the watermark, for their key sets. */
  users: LegacyUser[];
  customers: LegacyCustomer[];
  /** Expected accounts and buyers. */
  partnerResult: BatchResult;
  /** Expected users and account users. */
  userResult: BatchResult;
  /** Expected licensees. */
  customerResult: BatchResult;
  /** CustomerId -> licensee id, for exactly the customers that migrate. */
  licensees: ReadonlyMap<number, string>;
}

/** A legacy enum as the transform matches it: the documented value `raw` means, or undefined when none. */
export type EnumMatch = (raw: string) => string | undefined;

/** A legacy DATETIME as the transform reads it: a UTC instant, a sentinel or invalid. */
export type LegacyDateTime = { kind: 'instant'; utc: string } | { kind: 'sentinel' } | { kind: 'invalid' };

/** The mapping of the archive's mapped columns (MAPPING.md, "Marketplace terms"). */
export interface ArchiveMapping {
  orderType: EnumMatch;
  orderStatus: EnumMatch;
  billingFrequency: EnumMatch;
  documentType: EnumMatch;
  invoiceStatus: EnumMatch;
  /** Matched order type -> `archive.orders.marketplace_type`. */
  marketplaceOrderType: Readonly<Record<string, string>>;
  /** Matched order status -> `archive.orders.marketplace_status`. */
  marketplaceOrderStatus: Readonly<Record<string, string>>;
  /** Matched document type -> `archive.invoices.document_type`. */
  marketplaceDocumentType: Readonly<Record<string, string>>;
  /** Matched invoice status -> `archive.invoices.marketplace_status`. */
  marketplaceInvoiceStatus: Readonly<Record<string, string>>;
  /** Local legacy DATETIME text in `zone` -> UTC. */
  convertLegacyDateTime(raw: string, zone: string): LegacyDateTime;
}

/** Everything of the mapping the checks recompute expected values through. */
export interface VerifyMapping<Decision extends MappedDecision = MappedDecision> extends ArchiveMapping {
  /** A partner's agreements and subscriptions, from the replay of its completed orders. */
  replaySubscriptions(decision: Decision, orders: ReplayOrder[], licensees: ReadonlyMap<number, string>): BatchResult;
}
