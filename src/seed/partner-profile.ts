import { partnerBudgets, type PartnerBudgets } from './partner-budgets';
import { DIRTY_RATES } from './dirty-rates';
import { INVOICE_LINES_PER_ORDER, INVOICES_PER_BILLED_MONTH, ORDER_LINES_PER_ORDER } from './order-mix';
import { Prng } from './prng';
import type { SeedOptions } from './seed-types';
import { DAY_MS, HISTORY_START_MS, ORDERS_END_MS } from './wall-clock';

export type PartnerStatus = 'Active' | 'Suspended' | 'Closed';
export type CountryKind = 'clean' | 'uk' | 'lowerCase' | 'invalid' | 'withoutSeller';
export type CurrencyKind = 'clean' | 'lowerCase' | 'mixedCase' | 'invalid';

/** Everything about a partner decided before its rows: size, life span and partner-level dirt. */
export interface PartnerProfile {
  index: number;
  top: boolean;
  /** Undefined: the partner's status is a value outside the documented set. */
  status: PartnerStatus | undefined;
  countryKind: CountryKind;
  currencyKind: CurrencyKind;
  primaryUsers: 0 | 1 | 2;
  users: number;
  customers: number;
  orders: number;
  /** Wall-clock span of its orders. */
  startMs: number;
  endMs: number;
  /** Expected rows of the derived tables, for planning. */
  expected: { orderLines: number; invoices: number; invoiceLines: number };
}

const AVERAGE_MONTH_MS = 30.44 * DAY_MS;
/** Step sizes of the evenly spread sequences that place partner-level dirt (fractional parts of square roots). */
const SPREAD_STEPS = {
  status: Math.SQRT2 - 1,
  country: Math.sqrt(3) - 1,
  currency: Math.sqrt(5) - 2,
  primary: Math.sqrt(7) - 2,
};
type SpreadKind = keyof typeof SPREAD_STEPS;

/** Default rows per partner when `targetRows` is not given. */
export const DEFAULT_ROWS_PER_PARTNER = 300;

/** The portal-wide decisions: partner sizes and where partner-level dirt falls. */
export class PortalPlan {
  readonly partners: number;
  readonly seed: number;
  readonly targetRows: number;
  private readonly budgets: PartnerBudgets;
  private readonly offsets: Record<SpreadKind, number>;

  constructor(options: SeedOptions) {
    if (!Number.isSafeInteger(options.partners) || options.partners < 1)
      throw new RangeError(`partners must be a positive integer: ${options.partners}`);
    if (!Number.isFinite(options.seed)) throw new RangeError(`seed must be a finite number: ${options.seed}`);
    const targetRows = options.targetRows ?? options.partners * DEFAULT_ROWS_PER_PARTNER;
    if (!Number.isFinite(targetRows) || targetRows < 1)
      throw new RangeError(`targetRows must be positive: ${targetRows}`);
    this.partners = options.partners;
    this.seed = options.seed;
    this.targetRows = targetRows;
    this.budgets = partnerBudgets(options.partners, targetRows, options.seed);
    const rng = new Prng(options.seed, -3);
    this.offsets = { status: rng.next(), country: rng.next(), currency: rng.next(), primary: rng.next() };
  }

  /** An evenly spread position in [0, 1) of partner `index` for one kind of dirt: any N partners hold each kind about N * rate times. */
  private spread(kind: SpreadKind, index: number): number {
    const x = index * SPREAD_STEPS[kind] + this.offsets[kind];
    return x - Math.floor(x);
  }

  profile(index: number): PartnerProfile {
    const rates = DIRTY_RATES.partner;
    const top = this.budgets.top[index] === 1;
    const budget = this.budgets.rows[index];
    const rng = new Prng(this.seed, index * 4 + 1);

    const statusAt = this.spread('status', index);
    let status: PartnerStatus | undefined = 'Active';
    if (statusAt < rates.closed) status = 'Closed';
    else if (statusAt < rates.closed + rates.suspended) status = 'Suspended';
    else if (statusAt < rates.closed + rates.suspended + rates.unknownStatus) status = undefined;

    const countryAt = this.spread('country', index);
    let countryKind: CountryKind = 'clean';
    if (countryAt < rates.countryUk) countryKind = 'uk';
    else if (countryAt < rates.countryUk + rates.countryLowerCase) countryKind = 'lowerCase';
    else if (countryAt < rates.countryUk + rates.countryLowerCase + rates.countryInvalid) countryKind = 'invalid';
    else if (countryAt < rates.countryUk + rates.countryLowerCase + rates.countryInvalid + rates.countryWithoutSeller)
      countryKind = 'withoutSeller';

    const currencyAt = this.spread('currency', index);
    let currencyKind: CurrencyKind = 'clean';
    if (currencyAt < rates.currencyLowerCase) currencyKind = 'lowerCase';
    else if (currencyAt < rates.currencyLowerCase + rates.currencyMixedCase) currencyKind = 'mixedCase';
    else if (currencyAt < rates.currencyLowerCase + rates.currencyMixedCase + rates.currencyInvalid)
      currencyKind = 'invalid';

    const primaryAt = this.spread('primary', index);
    const primaryUsers =
      primaryAt < rates.noPrimaryUser ? 0 : primaryAt < rates.noPrimaryUser + rates.twoPrimaryUsers ? 2 : 1;

    // The largest partners are healthy, long-standing accounts: their volume must reach the marketplace.
    if (top) {
      status = 'Active';
      countryKind = 'clean';
      currencyKind = 'clean';
    }

    const users = clamp(Math.round((Math.sqrt(budget) / 3) * (0.6 + 0.8 * rng.next())), 1, 50);
    const customerCap = budget < 600 ? 20 : 3000;
    const customers = clamp(Math.round((budget / 28) * (0.7 + 0.6 * rng.next())), 2, customerCap);
    const historyMs = ORDERS_END_MS - HISTORY_START_MS;
    const startMs = top
      ? HISTORY_START_MS + rng.next() * 540 * DAY_MS
      : HISTORY_START_MS + rng.next() ** 0.8 * (historyMs - 180 * DAY_MS);
    const endMs =
      status === 'Active' || status === undefined
        ? ORDERS_END_MS
        : startMs + (ORDERS_END_MS - startMs) * (0.35 + 0.55 * rng.next());
    const months = Math.max(1, (endMs - startMs) / AVERAGE_MONTH_MS);
    const rowsPerOrder = 1 + ORDER_LINES_PER_ORDER + INVOICE_LINES_PER_ORDER;
    const base = budget - 1 - users - customers;
    const firstGuess = Math.max(1, base / rowsPerOrder);
    const invoices = Math.min(months, firstGuess) * INVOICES_PER_BILLED_MONTH;
    const orders = Math.max(1, Math.round((base - invoices) / rowsPerOrder));
    return {
      index,
      top,
      status,
      countryKind,
      currencyKind,
      primaryUsers,
      users,
      customers,
      orders,
      startMs,
      endMs,
      expected: {
        orderLines: orders * ORDER_LINES_PER_ORDER,
        invoices: Math.min(months, orders) * INVOICES_PER_BILLED_MONTH,
        invoiceLines: orders * INVOICE_LINES_PER_ORDER,
      },
    };
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
