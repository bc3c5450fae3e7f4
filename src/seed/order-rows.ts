import { CURRENCY_FACTOR, ONE_TIME_PRODUCTS, SUBSCRIPTION_PRODUCTS, type Product } from './catalog';
import type { BillingMonth } from './billing-month';
import { DIRTY_RATES } from './dirty-rates';
import { UNKNOWN_ENUMS, writeEnum, writeText } from './dirty-values';
import { formatMoney, roundToCents } from './money';
import {
  CHANGE_ORDER_SECOND_LINE,
  NEW_ORDER_LINE_WEIGHTS,
  ONE_TIME_LINE_SHARE,
  ORDER_STATUSES,
  ORDER_STATUS_WEIGHTS,
  ORDER_TYPES,
  ORDER_TYPE_WEIGHTS,
  USAGE_LINES_PER_ORDER,
  type OrderType,
} from './order-mix';
import {
  MAX_SUBSCRIPTIONS_PER_CUSTOMER,
  type CustomerState,
  type PartnerContext,
  type SubscriptionState,
} from './partner-context';
import type { Prng } from './prng';
import { modifiedAfter } from './random-times';
import { DAY_MS, SENTINEL_DATETIME, formatWallClock } from './wall-clock';

/** One line before it is written: what it sells or changes. */
interface PlannedLine {
  product: Product;
  frequency: 'Monthly' | 'Annual' | 'OneTime';
  termMonths: number | null;
  ref: string | null;
  quantity: number;
  /** The subscription this line changes (undefined for purchases and for never-created refs). */
  target?: SubscriptionState;
}

const FIRST_PRICE_YEAR = 2014;
const PRICE_RISE_PER_YEAR = 0.02;

/**
 * Writes one order with its lines at wall-clock `wallMs`, applies its effect to the customer's
 * subscriptions when the portal would have (a Completed order of a known type for a real
 * customer) and bills it into the open month.
 */
export function writeOrder(ctx: PartnerContext, wallMs: number, billing: BillingMonth): void {
  const { rng, ids, sink } = ctx;
  const rates = DIRTY_RATES.order;
  if (rng.chance(0.012)) {
    // A draft the portal's clean-up job hard-deleted: its keys stay unused.
    ids.order++;
    ids.orderLine += rng.int(1, 2);
  }
  const available = customersCreatedBy(ctx, wallMs);
  let type: OrderType = ORDER_TYPES[rng.weighted(ORDER_TYPE_WEIGHTS)];
  let customer: CustomerState | undefined;
  let lines: PlannedLine[] | undefined;
  if (type !== 'New') {
    const change = planChange(ctx, type, available);
    if (change) ({ customer, lines } = change);
    else type = 'New';
  }
  if (!customer || !lines) {
    customer = pickCustomer(ctx, available);
    lines = planPurchase(rng);
  }

  const status = ORDER_STATUSES[rng.weighted(ORDER_STATUS_WEIGHTS)];
  const writtenType = writeEnum(type, rng, rates.enumVariant, rates.enumUnknown, UNKNOWN_ENUMS.orderType);
  const writtenStatus = writeEnum(status, rng, rates.enumVariant, rates.enumUnknown, UNKNOWN_ENUMS.orderStatus);
  const customerRoll = rng.next();
  const customerId =
    customerRoll < rates.customerNull
      ? null
      : customerRoll < rates.customerNull + rates.customerMissing
        ? ctx.missingCustomerId
        : customer.id;
  const completed = writtenStatus.meaning === 'Completed';
  if (completed && writtenType.meaning !== undefined && customerId === customer.id) applyEffect(customer, type, lines);

  const orderId = ++ids.order;
  let orderNumber = `SO-${String(orderId).padStart(8, '0')}`;
  if (rng.chance(rates.numberStrayCase)) orderNumber = rng.chance(0.5) ? orderNumber.toLowerCase() : `${orderNumber} `;
  const modified = modifiedAfter(rng, wallMs, 3 * DAY_MS);
  const year = new Date(wallMs).getUTCFullYear();
  const billedCustomerId = customerId === customer.id ? customerId : null;
  const credit = type === 'RemoveSeats' || type === 'Cancel';

  let totalUnits = 0;
  const lineRows = lines.map((line, index) => {
    const { unitUnits, totalUnits: lineTotal } = linePrice(ctx, line, type, year);
    totalUnits += lineTotal;
    const productName = writeText(line.product.name, rng, 200);
    if (completed && lineTotal !== 0) {
      const charge = {
        orderId,
        customerId: billedCustomerId,
        description: `${productName.trim()} (${orderNumber.trim()})`,
        quantity: line.quantity,
        unitUnits,
        amountUnits: lineTotal,
      };
      if (credit) billing.credit(charge);
      else billing.charge(charge);
    }
    const frequency =
      line.frequency === 'OneTime'
        ? writeEnum(line.frequency, rng, 0.02, 0.01, UNKNOWN_ENUMS.billingFrequency).raw
        : writeEnum(line.frequency, rng, 0.02, 0, UNKNOWN_ENUMS.billingFrequency).raw;
    return {
      OrderLineId: ++ids.orderLine,
      OrderId: orderId,
      LineNo: index + 1,
      Sku: line.product.sku,
      ProductName: productName,
      Quantity: line.quantity,
      UnitPrice: formatMoney(unitUnits),
      LineTotal: formatMoney(lineTotal),
      BillingFrequency: frequency,
      TermMonths: line.termMonths,
      SubscriptionRef: line.ref,
      ModifiedAtUtc: modified,
    };
  });
  if (completed && billedCustomerId !== null && rng.chance(USAGE_LINES_PER_ORDER)) {
    const amount = rng.int(50, 500_000) * 100;
    billing.charge({
      orderId: null,
      customerId: billedCustomerId,
      description: 'Azure consumption',
      quantity: 1,
      unitUnits: amount,
      amountUnits: amount,
    });
  }

  if (rng.chance(rates.totalMismatch)) {
    const roll = rng.next();
    totalUnits = roll < 0.4 ? totalUnits + 100 : roll < 0.8 ? roundToCents(totalUnits * 0.95) : 0;
  }
  let currency = ctx.currencyWritten;
  const currencyRoll = rng.next();
  if (currencyRoll < rates.currencyLowerCase) currency = currency.toLowerCase();
  else if (currencyRoll < rates.currencyLowerCase + rates.currencyInvalid) currency = 'EUX';
  const creatorRoll = rng.next();
  sink.push('Orders', {
    OrderId: orderId,
    OrderNumber: orderNumber,
    PartnerId: ctx.partnerId,
    CustomerId: customerId,
    OrderType: writtenType.raw,
    Status: writtenStatus.raw,
    OrderDate: !completed && rng.chance(rates.orderDateSentinel) ? SENTINEL_DATETIME : formatWallClock(wallMs),
    CurrencyCode: currency,
    TotalAmount: formatMoney(totalUnits),
    PoNumber: rng.chance(0.55) ? `PO-${rng.int(10_000, 999_999)}` : null,
    CreatedBy: creatorRoll < 0.8 ? rng.pick(ctx.userEmails) : creatorRoll < 0.85 ? 'system' : null,
    ModifiedAtUtc: modified,
  });
  for (const row of lineRows) sink.push('OrderLines', row);
}

/** Customers already created at `wallMs` (customers are created in key order over the partner's life). */
function customersCreatedBy(ctx: PartnerContext, wallMs: number): number {
  const { customers } = ctx;
  let low = Math.min(3, customers.length);
  let high = customers.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (customers[mid].createdMs <= wallMs) low = mid + 1;
    else high = mid;
  }
  return low;
}

function pickCustomer(ctx: PartnerContext, available: number): CustomerState {
  const { rng, customers } = ctx;
  const customer = customers[rng.int(0, available - 1)];
  if (customer.deleted && !rng.chance(DIRTY_RATES.order.softDeletedCustomerKept))
    return customers[rng.int(0, available - 1)];
  return customer;
}

function planPurchase(rng: Prng): PlannedLine[] {
  const count = 1 + rng.weighted(NEW_ORDER_LINE_WEIGHTS);
  const lines: PlannedLine[] = [];
  for (let i = 0; i < count; i++) {
    if (rng.chance(ONE_TIME_LINE_SHARE)) {
      lines.push({
        product: rng.pick(ONE_TIME_PRODUCTS),
        frequency: 'OneTime',
        termMonths: null,
        ref: null,
        quantity: rng.int(1, 4),
      });
      continue;
    }
    const monthly = rng.chance(0.6);
    let termMonths: number | null = monthly ? (rng.chance(0.4) ? 1 : 12) : rng.chance(0.8) ? 12 : 36;
    if (rng.chance(DIRTY_RATES.orderLine.termNull)) termMonths = null;
    lines.push({
      product: rng.pick(SUBSCRIPTION_PRODUCTS),
      frequency: monthly ? 'Monthly' : 'Annual',
      termMonths,
      ref: rng.guid(),
      quantity: 1 + Math.floor(rng.next() ** 3 * 150),
    });
  }
  return lines;
}

/** Lines changing existing subscriptions of one customer, or undefined when none fits. */
function planChange(
  ctx: PartnerContext,
  type: OrderType,
  available: number,
): { customer: CustomerState; lines: PlannedLine[] } | undefined {
  const { rng, customers } = ctx;
  const rates = DIRTY_RATES.order;
  if (type !== 'Cancel' && type !== 'AutoRenewToggle' && rng.chance(rates.subscriptionNeverCreated)) {
    // A change to a subscription the portal never created (the purchase was lost or made elsewhere).
    const product = rng.pick(SUBSCRIPTION_PRODUCTS);
    return {
      customer: customers[rng.int(0, available - 1)],
      lines: [{ product, frequency: 'Monthly', termMonths: 12, ref: rng.guid(), quantity: rng.int(1, 10) }],
    };
  }
  for (let attempt = 0; attempt < 6; attempt++) {
    const customer = customers[rng.int(0, available - 1)];
    const candidates = customer.subscriptions;
    if (candidates.length === 0 || (customer.deleted && !rng.chance(rates.softDeletedCustomerKept))) continue;
    const first = rng.int(0, candidates.length - 1);
    const picked = [candidates[first]];
    if (candidates.length > 1 && rng.chance(CHANGE_ORDER_SECOND_LINE))
      picked.push(candidates[(first + 1) % candidates.length]);
    const lines: PlannedLine[] = [];
    for (const subscription of picked) {
      const quantity = changeQuantity(rng, type, subscription.quantity);
      if (quantity === undefined) continue;
      lines.push({
        product: subscription.product,
        frequency: subscription.frequency,
        termMonths: subscription.termMonths,
        ref: subscription.ref,
        quantity,
        target: subscription,
      });
    }
    if (lines.length > 0) return { customer, lines };
  }
  return undefined;
}

/** Line quantity of a change; undefined when a RemoveSeats would be impossible and is not the rare mistake. */
function changeQuantity(rng: Prng, type: OrderType, current: number): number | undefined {
  switch (type) {
    case 'AddSeats':
      return 1 + Math.floor(rng.next() ** 2 * 25);
    case 'RemoveSeats':
      if (rng.chance(DIRTY_RATES.order.removeBelowOne)) return Math.max(1, current) + rng.int(0, 2);
      return current >= 2 ? rng.int(1, current - 1) : undefined;
    default:
      return Math.max(1, current);
  }
}

/** The replay of MAPPING.md applied to the generator's own view, so later orders change what exists. */
function applyEffect(customer: CustomerState, type: OrderType, lines: PlannedLine[]): void {
  for (const line of lines) {
    if (type === 'New') {
      if (line.ref === null || line.frequency === 'OneTime') continue;
      customer.subscriptions.push({
        ref: line.ref,
        product: line.product,
        frequency: line.frequency,
        termMonths: line.termMonths,
        quantity: line.quantity,
      });
      if (customer.subscriptions.length > MAX_SUBSCRIPTIONS_PER_CUSTOMER) customer.subscriptions.shift();
      continue;
    }
    const target = line.target;
    if (!target) continue;
    if (type === 'AddSeats') target.quantity += line.quantity;
    else if (type === 'RemoveSeats') target.quantity -= line.quantity;
    else if (type === 'Cancel')
      customer.subscriptions = customer.subscriptions.filter((subscription) => subscription !== target);
  }
}

/** Unit price (monthly or yearly, in the partner's currency, rising a little each year) and line total. */
function linePrice(
  ctx: PartnerContext,
  line: PlannedLine,
  type: OrderType,
  year: number,
): { unitUnits: number; totalUnits: number } {
  if (type === 'AutoRenewToggle') return { unitUnits: 0, totalUnits: 0 };
  const { rng } = ctx;
  const rates = DIRTY_RATES.orderLine;
  const factor = (CURRENCY_FACTOR[ctx.priceCurrency] ?? 1) * (1 + PRICE_RISE_PER_YEAR * (year - FIRST_PRICE_YEAR));
  const months = line.frequency === 'Annual' ? 12 : 1;
  let unitUnits = roundToCents(line.product.monthlyUnits * factor * months);
  const roll = rng.next();
  if (roll < rates.fourDecimalPrice + rates.lineTotalRounded) {
    // Prices converted or prorated by the portal kept four decimals.
    unitUnits += rng.int(1, 99);
    const total = line.quantity * unitUnits;
    return { unitUnits, totalUnits: roll < rates.lineTotalRounded ? roundToCents(total) : total };
  }
  return { unitUnits, totalUnits: line.quantity * unitUnits };
}
