/** The transform stage: pure functions from legacy rows and lookups to BatchResults. */
export { refusalKey, type SellerRef, type TransformContext } from './context';
export { decidePartner, transformPartner, type PartnerDecision } from './partner';
export { transformUsers } from './users';
export { transformCustomers, licenseeLookup, licenseeIdOf, customersKeptOut } from './customers';
export { transformOrders } from './orders';
export { transformInvoices, MARKETPLACE_DOCUMENT_TYPE, MARKETPLACE_INVOICE_STATUS } from './invoices';
export { toReplayOrders, replaySubscriptions, type ReplayLine, type ReplayOrder } from './subscriptions';
export { MARKETPLACE_ORDER_STATUS, MARKETPLACE_ORDER_TYPE } from './order-mapping';
export * from './normalise';
export { formatDecimal } from '../core/decimal';
export { ISO_COUNTRIES, ISO_CURRENCIES } from './iso-codes';
