import { PortalPlan } from './partner-profile';
import type { SeedOptions, SeedPlan } from './seed-types';

/**
 * The expected size of `generateLegacyPortal(options)` without generating it, for progress
 * bars: partners, users, customers and orders are exact; lines and invoices are estimates.
 */
export function planSeed(options: SeedOptions): SeedPlan {
  const plan = new PortalPlan(options);
  const perTable = {
    Partners: plan.partners,
    PartnerUsers: 0,
    Customers: 0,
    Orders: 0,
    OrderLines: 0,
    Invoices: 0,
    InvoiceLines: 0,
  };
  for (let index = 0; index < plan.partners; index++) {
    const profile = plan.profile(index);
    perTable.PartnerUsers += profile.users;
    perTable.Customers += profile.customers;
    perTable.Orders += profile.orders;
    perTable.OrderLines += profile.expected.orderLines;
    perTable.Invoices += profile.expected.invoices;
    perTable.InvoiceLines += profile.expected.invoiceLines;
  }
  perTable.OrderLines = Math.round(perTable.OrderLines);
  perTable.Invoices = Math.round(perTable.Invoices);
  perTable.InvoiceLines = Math.round(perTable.InvoiceLines);
  const estimatedRows = Object.values(perTable).reduce((sum, rows) => sum + rows, 0);
  return { partners: plan.partners, estimatedRows, perTable };
}
