/** The money of orders and invoices that both sides sum per partner, currency and month. */
import type { ArchiveEntity } from './specs';

/** Money of one partner per (entity, currency, month): orders carry `total`, invoices `net`, `tax`, `gross`. */
export interface MoneySum {
  entity: 'order' | 'invoice';
  currency: string;
  /** `YYYY-MM` of OrderDate (local) or InvoiceDate. */
  month: string;
  count: number;
  amounts: Record<string, string>;
}

/** The money of orders and invoices: summed per (currency, month of the date column) by both sides. */
export const MONEY: Readonly<
  Record<
    'order' | 'invoice',
    {
      /** `length`: the legacy column's (CHAR(3)), what a trimmed code can be at most. */
      currency: { legacy: string; archive: string; length: number };
      date: { legacy: string; archive: string };
      /** Amount name, legacy column, archive column; selected as a1, a2, a3 in this order. */
      amounts: ReadonlyArray<{ name: string; legacy: string; archive: string }>;
    }
  >
> = {
  order: {
    currency: { legacy: 'CurrencyCode', archive: 'currency', length: 3 },
    date: { legacy: 'OrderDate', archive: 'order_date_local' },
    amounts: [{ name: 'total', legacy: 'TotalAmount', archive: 'total_amount' }],
  },
  invoice: {
    currency: { legacy: 'CurrencyCode', archive: 'currency', length: 3 },
    date: { legacy: 'InvoiceDate', archive: 'invoice_date' },
    amounts: [
      { name: 'net', legacy: 'NetAmount', archive: 'net_amount' },
      { name: 'tax', legacy: 'TaxAmount', archive: 'tax_amount' },
      { name: 'gross', legacy: 'GrossAmount', archive: 'gross_amount' },
    ],
  },
};

/** The money columns of an entity: orders' and invoices', none for lines. */
export function moneyColumns(entity: ArchiveEntity): (typeof MONEY)['order'] | undefined {
  return entity === 'order' || entity === 'invoice' ? MONEY[entity] : undefined;
}
