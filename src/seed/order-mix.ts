import { cumulative } from './prng';

/** Documented order types (README), and how often the portal saw each. */
export const ORDER_TYPES = ['New', 'AddSeats', 'RemoveSeats', 'Cancel', 'Renew', 'AutoRenewToggle'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];
export const ORDER_TYPE_WEIGHTS = cumulative([38, 22, 8, 5, 22, 5]);

/** Documented order statuses, and how often each is seen. */
export const ORDER_STATUSES = ['Draft', 'Submitted', 'InProgress', 'Completed', 'Failed', 'Cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const ORDER_STATUS_WEIGHTS = cumulative([4, 3, 3, 82, 4, 4]);

/** Lines of a New order: 1 to 5, mostly few. */
export const NEW_ORDER_LINE_WEIGHTS = cumulative([45, 25, 15, 10, 5]);
/** Share of change orders (AddSeats, ...) that touch two subscriptions of the customer. */
export const CHANGE_ORDER_SECOND_LINE = 0.2;
/** Share of New order lines that are one-time purchases (no SubscriptionRef). */
export const ONE_TIME_LINE_SHARE = 0.12;
/** Usage lines (customer known, no order) per billed order line. */
export const USAGE_LINES_PER_ORDER = 0.06;
/** Most lines one invoice holds; a bigger month is split over several invoices. */
export const MAX_INVOICE_LINES = 1000;

/** Averages of what the generator yields, used to size partners and to plan progress bars (determinism.test.ts). */
export const ORDER_LINES_PER_ORDER = 1.51;
export const INVOICE_LINES_PER_ORDER = 1.23;
export const INVOICES_PER_BILLED_MONTH = 1.0;
