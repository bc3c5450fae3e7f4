/** Completed orders replayed into agreements and subscriptions (MAPPING.md, "Subscriptions"). */
import { trimWhitespace } from '../core/canonical/trim';
import { idFromText } from '../core/ids';
import type { LegacyOrder, LegacyOrderLine } from '../core/legacy-model';
import type { BatchResult } from '../core/outcomes';
import type { ReplayLine, ReplayOrder } from '../core/replay-model';
import type { SubscriptionRow } from '../core/target-model';
import { addMonths, isCalendarDate } from '../core/time';
import { BatchBuilder } from './batch-builder';
import { ENUMS, matchEnum } from './enums';
import { optionalText, quoteForDetail } from './normalise';
import type { PartnerDecision } from './partner';

export type { ReplayLine, ReplayOrder };

/** Condenses a page of orders and lines into replay input; lines of orders outside the page are dropped. */
export function toReplayOrders(orders: LegacyOrder[], lines: LegacyOrderLine[]): ReplayOrder[] {
  const byOrder = new Map<number, LegacyOrderLine[]>();
  for (const line of lines) {
    const list = byOrder.get(line.OrderId);
    if (list) list.push(line);
    else byOrder.set(line.OrderId, [line]);
  }
  return orders.map((order) => ({
    orderId: order.OrderId,
    orderType: order.OrderType,
    status: order.Status,
    orderDateLocal: order.OrderDate,
    customerId: order.CustomerId,
    lines: (byOrder.get(order.OrderId) ?? [])
      .sort((a, b) => a.LineNo - b.LineNo || a.OrderLineId - b.OrderLineId)
      .map((line) => ({
        subscriptionRef: optionalText(line.SubscriptionRef),
        sku: trimWhitespace(line.Sku),
        productName: trimWhitespace(line.ProductName),
        quantity: line.Quantity,
        billingFrequency: line.BillingFrequency,
        termMonths: line.TermMonths,
      })),
  }));
}

interface SubscriptionState {
  row: SubscriptionRow;
  licenseeId: string;
  customerId: number;
  /** Replay position of the line that created it: the earliest names its agreement. */
  createdAt: number;
}

const DEFAULT_TERM_MONTHS = 12;

/**
 * Replays a migrated partner's Completed orders in (OrderDate, OrderId) order into
 * subscriptions (one per SubscriptionRef) and agreements (one per licensee and SKU).
 * A partner that does not migrate yields nothing: derived objects leave no quarantine rows.
 * Counts: entity `subscription`, extracted = loaded = subscriptions created.
 */
export function replaySubscriptions(
  decision: PartnerDecision,
  orders: ReplayOrder[],
  licensees: ReadonlyMap<number, string>,
): BatchResult {
  const batch = new BatchBuilder();
  batch.counts('subscription');
  if (decision.outcome !== 'migrated') return batch.result;
  const partnerId = decision.partnerId;
  const finding = batch.finding.bind(batch, 'subscription');

  // Sort keys computed once: a comparator that trims would allocate on every comparison.
  const completed = orders
    .filter((order) => matchEnum(ENUMS.orderStatus, order.status) === 'Completed')
    .map((order) => ({ order, at: trimWhitespace(order.orderDateLocal ?? '') }))
    .sort(compareReplayOrder)
    .map(({ order }) => order);
  const subscriptions = new Map<string, SubscriptionState>();
  let position = 0;

  for (const order of completed) {
    const licenseeId = order.customerId === null ? undefined : licensees.get(order.customerId);
    if (licenseeId === undefined || order.customerId === null) continue;
    const type = matchEnum(ENUMS.orderType, order.orderType);
    const date = trimWhitespace(order.orderDateLocal ?? '').slice(0, 10);
    const dated = isCalendarDate(date);
    for (const line of order.lines) {
      const ref = line.subscriptionRef;
      // An archive altered by others can hold NULL where the legacy contract cannot: replayed as empty.
      const quantity = line.quantity ?? 0;
      if (ref === null) continue;
      const frequency = matchEnum(ENUMS.billingFrequency, line.billingFrequency);
      if (frequency === 'OneTime') continue;
      position += 1;
      if (type === undefined) {
        finding(
          ref,
          partnerId,
          'unknown_enum',
          `order ${order.orderId} has OrderType ${quoteForDetail(order.orderType)}; line not replayed`,
        );
        continue;
      }
      if (!dated) {
        finding(ref, partnerId, 'invalid_date', `order ${order.orderId} has no calendar date; line not replayed`);
        continue;
      }
      if (type === 'New') {
        if (frequency === undefined) {
          finding(
            ref,
            partnerId,
            'unknown_enum',
            `order ${order.orderId} has BillingFrequency ${quoteForDetail(line.billingFrequency)}; subscription not created`,
          );
          continue;
        }
        const termMonths = line.termMonths ?? DEFAULT_TERM_MONTHS;
        const state: SubscriptionState = {
          licenseeId,
          customerId: order.customerId,
          createdAt: position,
          row: {
            // Both ids are set when emitting: hashed once per final object, not per replayed line.
            id: '',
            agreement_id: '',
            external_ref: ref,
            sku: line.sku ?? '',
            name: line.productName ?? '',
            quantity,
            billing_period: frequency === 'Monthly' ? '1m' : '1y',
            term_months: termMonths,
            start_date: date,
            commitment_date: addMonths(date, termMonths),
            termination_date: null,
            auto_renew: true,
            status: 'Active',
          },
        };
        subscriptions.set(ref, state);
        if (quantity < 1) {
          finding(ref, partnerId, 'negative_quantity', `created by order ${order.orderId} with quantity ${quantity}`);
        }
        continue;
      }
      const state = subscriptions.get(ref);
      if (state === undefined) {
        finding(
          ref,
          partnerId,
          'subscription_without_purchase',
          `order ${order.orderId} (${type}) changes a subscription that was never created`,
        );
        continue;
      }
      const sub = state.row;
      switch (type) {
        case 'AddSeats':
        case 'RemoveSeats': {
          const before = sub.quantity;
          sub.quantity += type === 'AddSeats' ? quantity : -quantity;
          // "Falls below 1": reported once, when an active subscription crosses the line.
          if (sub.status === 'Active' && sub.quantity < 1 && before >= 1) {
            finding(
              ref,
              partnerId,
              'negative_quantity',
              `quantity fell to ${sub.quantity} with order ${order.orderId}`,
            );
          }
          break;
        }
        case 'Renew':
          sub.commitment_date = addMonths(sub.commitment_date, sub.term_months);
          break;
        case 'AutoRenewToggle':
          sub.auto_renew = !sub.auto_renew;
          break;
        case 'Cancel':
          sub.status = 'Terminated';
          sub.termination_date = date;
          break;
      }
    }
  }

  emitAgreementsAndSubscriptions(batch, decision, subscriptions);
  return batch.result;
}

// The fixed-width local text sorts like the time it names, so (OrderDate, OrderId) needs no parsing.
function compareReplayOrder(a: { order: ReplayOrder; at: string }, b: { order: ReplayOrder; at: string }): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return a.order.orderId - b.order.orderId;
}

// Agreements follow from the final subscriptions, so a re-purchase under another SKU leaves no empty agreement.
function emitAgreementsAndSubscriptions(
  batch: BatchBuilder,
  decision: PartnerDecision,
  subscriptions: ReadonlyMap<string, SubscriptionState>,
): void {
  const agreements = new Map<string, { id: string; first: SubscriptionState; active: boolean }>();
  for (const state of subscriptions.values()) {
    const key = `${state.licenseeId}|${state.row.sku}`;
    let agreement = agreements.get(key);
    if (agreement === undefined) {
      agreement = { id: idFromText('agreement', key), first: state, active: false };
      agreements.set(key, agreement);
    } else if (state.createdAt < agreement.first.createdAt) {
      agreement.first = state;
    }
    if (state.row.status === 'Active') agreement.active = true;
    state.row.agreement_id = agreement.id;
  }
  const agreementRows = batch.rows('agreements');
  for (const agreement of agreements.values()) {
    const { first } = agreement;
    agreementRows.push({
      id: agreement.id,
      account_id: decision.accountId!,
      buyer_id: decision.buyerId!,
      seller_id: decision.sellerId!,
      licensee_id: first.licenseeId,
      sku: first.row.sku,
      name: first.row.name,
      status: agreement.active ? 'Active' : 'Terminated',
    });
    // No id_map row: an agreement has no legacy key of its own; its subscriptions trace it.
  }
  const subscriptionRows = batch.rows('subscriptions');
  for (const state of subscriptions.values()) {
    state.row.id = idFromText('subscription', state.row.external_ref);
    subscriptionRows.push(state.row);
    batch.mapId('subscription', state.row.external_ref, state.row.id);
  }
  batch.loaded('subscription', subscriptions.size);
}
