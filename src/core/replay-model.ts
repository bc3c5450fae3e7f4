/**
 * What a subscription replay reads of each order: built from legacy rows (transform, verify) or
 * read back from the archive (load), so it is shared by the stages.
 */
/** The part of an order line the replay needs; compact, so a partner's whole history fits in memory. */
export interface ReplayLine {
  /** Trimmed; NULL when missing or blank. */
  subscriptionRef: string | null;
  /** NULL only in an archive that was written to by others than the load (verification replays it all the same). */
  sku: string | null;
  productName: string | null;
  quantity: number | null;
  /** As written; matched as an enum during replay. */
  billingFrequency: string | null;
  termMonths: number | null;
}

/** The part of an order the replay needs, with its lines in LineNo order. */
export interface ReplayOrder {
  orderId: number;
  /** As written (NULL only in a tampered archive, as below). */
  orderType: string | null;
  /** As written. */
  status: string | null;
  /** `YYYY-MM-DD HH:MM:SS.fff` as written (Zurich local). */
  orderDateLocal: string | null;
  customerId: number | null;
  lines: ReplayLine[];
}
