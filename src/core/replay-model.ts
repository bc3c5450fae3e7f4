/**
 * What a subscription replay reads of each order: built from legacy rows (transform, verify) or
 * read back from the archive (load), so it is shared by the stages.
 */
/** The part of an order line the replay needs; compact, so a partner's whole history fits in memory. */
export interface ReplayLine {
  /** Trimmed; NULL when missing or blank. */
  subscriptionRef: string | null;
  sku: string;
  productName: string;
  quantity: number;
  /** As written; matched as an enum during replay. */
  billingFrequency: string;
  termMonths: number | null;
}

/** The part of an order the replay needs, with its lines in LineNo order. */
export interface ReplayOrder {
  orderId: number;
  /** As written. */
  orderType: string;
  /** As written. */
  status: string;
  /** `YYYY-MM-DD HH:MM:SS.fff` as written (Zurich local). */
  orderDateLocal: string;
  customerId: number | null;
  lines: ReplayLine[];
}
