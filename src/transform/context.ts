/** The reference data and settings every transform receives; transforms read nothing else. */

/** A SoftwareOne selling company from `marketplace.sellers`. */
export interface SellerRef {
  /** Marketplace id (`SEL-…`). */
  id: string;
  /** ISO 3166-1 alpha-2 country the seller serves. */
  country: string;
  /** ISO 4217 codes the seller invoices in (informational; MAPPING.md does not gate on it). */
  currencies: string[];
}

export interface TransformContext {
  /** IANA zone of the legacy DATETIME columns, e.g. `Europe/Zurich`. */
  timeZone: string;
  /** Sellers keyed by upper-case country code. */
  sellersByCountry: ReadonlyMap<string, SellerRef>;
  /**
   * Legacy rows whose marketplace row the target refused (`refusalKey(entity, legacyKey)` ->
   * why): each is quarantined `target_refused` once every earlier rule let it through.
   */
  refusedRows?: ReadonlyMap<string, string>;
  /**
   * Customers of the partners at hand that have a licensee from an earlier load (id_map): one
   * kept out now (soft-deleted, duplicate tenant) keeps its licensee, `Deleted`.
   */
  migratedCustomers?: ReadonlySet<number>;
}

/** The key of a refused legacy row in `TransformContext.refusedRows`. */
export function refusalKey(entity: 'partner' | 'user' | 'customer', legacyKey: string): string {
  return `${entity}:${legacyKey}`;
}

/** Why the target refused this legacy row's marketplace row, or undefined when it did not. */
export function refusalOf(
  ctx: TransformContext,
  entity: 'partner' | 'user' | 'customer',
  legacyKey: string,
): string | undefined {
  return ctx.refusedRows?.get(refusalKey(entity, legacyKey));
}
