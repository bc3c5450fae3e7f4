/** Orders and order lines -> archive (MAPPING.md, "Orders and invoices -> archive"). */
import { trimWhitespace } from '../core/canonical/trim';
import {
  addDecimals,
  decimalEquals,
  formatDecimal,
  multiplyDecimal,
  parseDecimal,
  type ScaledDecimal,
} from '../core/decimal';
import type { LegacyOrder, LegacyOrderLine } from '../core/legacy-model';
import type { BatchResult } from '../core/outcomes';
import type { ArchiveOrderLineRow, ArchiveOrderRow } from '../core/target-model';
import { BatchBuilder } from './batch-builder';
import type { TransformContext } from './context';
import { ENUMS, matchEnum } from './enums';
import { convertLegacyDateTime } from './legacy-datetime';
import { normaliseCurrency, quoteForDetail, trimText } from './normalise';
import { MARKETPLACE_ORDER_STATUS, MARKETPLACE_ORDER_TYPE } from './order-mapping';
import type { PartnerDecision } from './partner';

/**
 * One keyset page of orders with their lines -> archive rows. Every row is archived whatever
 * its quality (entities `order` and `order_line`: extracted = loaded); oddities are findings.
 * `lines` may hold lines of orders outside the page: they are archived too, and the header
 * total is compared only for orders of the page that have lines in it.
 */
export function transformOrders(
  decision: PartnerDecision,
  orders: LegacyOrder[],
  lines: LegacyOrderLine[],
  licensees: ReadonlyMap<number, string>,
  ctx: TransformContext,
): BatchResult {
  const batch = new BatchBuilder();
  const partnerId = decision.partnerId;
  const lineSums = new Map<number, ScaledDecimal>();
  const lineRows = batch.rows('archive_order_lines');
  for (const line of lines) {
    lineRows.push(transformOrderLine(batch, partnerId, line, lineSums));
  }
  batch.loaded('order_line', lines.length);

  const orderRows = batch.rows('archive_orders');
  for (const order of orders) {
    orderRows.push(transformOrder(batch, decision, order, lineSums.get(order.OrderId), licensees, ctx));
  }
  batch.loaded('order', orders.length);
  return batch.result;
}

function transformOrderLine(
  batch: BatchBuilder,
  partnerId: number,
  line: LegacyOrderLine,
  lineSums: Map<number, ScaledDecimal>,
): ArchiveOrderLineRow {
  const key = String(line.OrderLineId);
  const frequency = matchEnum(ENUMS.billingFrequency, line.BillingFrequency);
  if (frequency === undefined) {
    batch.finding(
      'order_line',
      key,
      partnerId,
      'unknown_enum',
      `BillingFrequency ${quoteForDetail(line.BillingFrequency)} is not known; billing_frequency left NULL`,
    );
  }
  const total = parseDecimal(line.LineTotal);
  const price = parseDecimal(line.UnitPrice);
  if (total !== undefined && price !== undefined) {
    const expected = multiplyDecimal(price, line.Quantity);
    if (!decimalEquals(total, expected)) {
      batch.finding(
        'order_line',
        key,
        partnerId,
        'amount_mismatch',
        `LineTotal ${line.LineTotal} differs from Quantity * UnitPrice = ${formatDecimal(expected)}`,
      );
    }
    const sum = lineSums.get(line.OrderId);
    lineSums.set(line.OrderId, sum === undefined ? total : addDecimals(sum, total));
  }
  return {
    legacy_order_line_id: line.OrderLineId,
    legacy_order_id: line.OrderId,
    line_no: line.LineNo,
    sku: trimWhitespace(line.Sku),
    product_name: trimWhitespace(line.ProductName),
    quantity: line.Quantity,
    unit_price: line.UnitPrice,
    line_total: line.LineTotal,
    billing_frequency: frequency ?? null,
    billing_frequency_raw: trimWhitespace(line.BillingFrequency),
    term_months: line.TermMonths,
    subscription_ref: trimText(line.SubscriptionRef),
    legacy_row_version: line.RowVer,
  };
}

function transformOrder(
  batch: BatchBuilder,
  decision: PartnerDecision,
  order: LegacyOrder,
  linesTotal: ScaledDecimal | undefined,
  licensees: ReadonlyMap<number, string>,
  ctx: TransformContext,
): ArchiveOrderRow {
  const key = String(order.OrderId);
  const partnerId = order.PartnerId;
  const type = matchEnum(ENUMS.orderType, order.OrderType);
  if (type === undefined) {
    batch.finding(
      'order',
      key,
      partnerId,
      'unknown_enum',
      `OrderType ${quoteForDetail(order.OrderType)} is not known; marketplace_type left NULL`,
    );
  }
  const status = matchEnum(ENUMS.orderStatus, order.Status);
  if (status === undefined) {
    batch.finding(
      'order',
      key,
      partnerId,
      'unknown_enum',
      `Status ${quoteForDetail(order.Status)} is not known; marketplace_status left NULL`,
    );
  }
  const orderedAt = convertLegacyDateTime(order.OrderDate, ctx.timeZone);
  if (orderedAt.kind === 'sentinel') {
    batch.finding(
      'order',
      key,
      partnerId,
      'sentinel_date',
      `OrderDate ${trimWhitespace(order.OrderDate)} means unknown; ordered_at left NULL`,
    );
  } else if (orderedAt.kind === 'invalid') {
    batch.finding(
      'order',
      key,
      partnerId,
      'invalid_date',
      `OrderDate ${quoteForDetail(order.OrderDate)} is not a date and time; ordered_at left NULL`,
    );
  }
  const currency = normaliseCurrency(order.CurrencyCode);
  if (!currency.ok) {
    batch.finding(
      'order',
      key,
      partnerId,
      'invalid_currency',
      `currency ${quoteForDetail(order.CurrencyCode)} is not an ISO 4217 code`,
    );
  }
  // A partner that does not migrate has no licensees, whatever lookup the caller passes.
  const licenseeId =
    order.CustomerId === null || decision.outcome !== 'migrated' ? undefined : licensees.get(order.CustomerId);
  if (licenseeId === undefined) {
    const why =
      order.CustomerId === null
        ? 'order has no CustomerId'
        : decision.outcome === 'migrated'
          ? `customer ${order.CustomerId} does not exist or was not migrated`
          : `customer ${order.CustomerId} not migrated: partner ${decision.outcome}`;
    batch.finding('order', key, partnerId, 'orphan_customer', `${why}; licensee_id left NULL`);
  }
  if (linesTotal !== undefined) {
    const total = parseDecimal(order.TotalAmount);
    if (total !== undefined && !decimalEquals(total, linesTotal)) {
      batch.finding(
        'order',
        key,
        partnerId,
        'amount_mismatch',
        `TotalAmount ${order.TotalAmount} differs from the sum of its lines ${formatDecimal(linesTotal)}`,
      );
    }
  }
  return {
    legacy_order_id: order.OrderId,
    order_number: trimWhitespace(order.OrderNumber),
    legacy_partner_id: partnerId,
    account_id: decision.accountId,
    legacy_customer_id: order.CustomerId,
    licensee_id: licenseeId ?? null,
    order_type: trimWhitespace(order.OrderType),
    marketplace_type: type === undefined ? null : MARKETPLACE_ORDER_TYPE[type],
    status: trimWhitespace(order.Status),
    marketplace_status: status === undefined ? null : MARKETPLACE_ORDER_STATUS[status],
    ordered_at: orderedAt.kind === 'instant' ? orderedAt.utc : null,
    order_date_local: order.OrderDate,
    currency: currency.value ?? '',
    total_amount: order.TotalAmount,
    po_number: trimText(order.PoNumber),
    created_by: trimText(order.CreatedBy),
    legacy_row_version: order.RowVer,
  };
}
