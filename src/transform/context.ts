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
}
