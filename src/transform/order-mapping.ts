/** Legacy order enums -> marketplace terms (MAPPING.md, "Marketplace terms"). */
import { ENUMS, type EnumValue } from './enums';

export type OrderType = EnumValue<typeof ENUMS.orderType>;
export type OrderStatus = EnumValue<typeof ENUMS.orderStatus>;
export type BillingFrequency = EnumValue<typeof ENUMS.billingFrequency>;

/** Order type -> `archive.orders.marketplace_type`. */
export const MARKETPLACE_ORDER_TYPE: Readonly<Record<OrderType, string>> = {
  New: 'Purchase',
  AddSeats: 'Change',
  RemoveSeats: 'Change',
  Cancel: 'Termination',
  Renew: 'Change',
  AutoRenewToggle: 'Configuration',
};

/** Order status -> `archive.orders.marketplace_status`. */
export const MARKETPLACE_ORDER_STATUS: Readonly<Record<OrderStatus, string>> = {
  Draft: 'Draft',
  Submitted: 'Processing',
  InProgress: 'Processing',
  Completed: 'Completed',
  Failed: 'Failed',
  Cancelled: 'Failed',
};
