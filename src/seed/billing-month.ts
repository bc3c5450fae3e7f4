import { DIRTY_RATES } from './dirty-rates';
import { UNKNOWN_ENUMS, writeEnum } from './dirty-values';
import { formatMoney, formatQuantity, formatRate, roundToCents } from './money';
import { MAX_INVOICE_LINES } from './order-mix';
import type { PartnerContext } from './partner-context';
import { modifiedAfter } from './random-times';
import { DAY_MS, PORTAL_NOW_UTC_MS, formatCalendarDate } from './wall-clock';

/** One billed item: a completed order line, or usage of a customer with no order. */
export interface Charge {
  orderId: number | null;
  customerId: number | null;
  description: string;
  quantity: number;
  unitUnits: number;
  amountUnits: number;
}

const INVOICE_STATUS_RECENT_DAYS = 45;

/**
 * Collects the charges and credits of one calendar month of a partner and issues them as
 * invoices and credit notes dated the month's last day. Holds one month, at most
 * MAX_INVOICE_LINES lines per document.
 */
export class BillingMonth {
  private monthKey = -1;
  private lastDayMs = 0;
  private charges: Charge[] = [];
  private credits: Charge[] = [];

  constructor(private readonly ctx: PartnerContext) {}

  /** Closes the open month when `wallMs` falls in another one. */
  moveTo(wallMs: number): void {
    const date = new Date(wallMs);
    const key = date.getUTCFullYear() * 12 + date.getUTCMonth();
    if (key === this.monthKey) return;
    this.close();
    this.monthKey = key;
    this.lastDayMs = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0);
  }

  charge(charge: Charge): void {
    this.charges.push(charge);
    if (this.charges.length >= MAX_INVOICE_LINES) this.issue('Invoice', this.charges.splice(0));
  }

  credit(charge: Charge): void {
    this.credits.push(charge);
    if (this.credits.length >= MAX_INVOICE_LINES) this.issue('CreditNote', this.credits.splice(0));
  }

  close(): void {
    if (this.charges.length > 0) this.issue('Invoice', this.charges.splice(0));
    if (this.credits.length > 0) this.issue('CreditNote', this.credits.splice(0));
  }

  private issue(documentType: 'Invoice' | 'CreditNote', lines: Charge[]): void {
    const { rng, ids, sink, taxRate, profile } = this.ctx;
    const rates = DIRTY_RATES.invoice;
    const sign = documentType === 'CreditNote' ? -1 : 1;
    const invoiceId = ++ids.invoice;
    const invoiceDate = formatCalendarDate(this.lastDayMs);
    let number = `${documentType === 'Invoice' ? 'INV' : 'CN'}-${invoiceDate.slice(0, 4)}-${String(invoiceId).padStart(7, '0')}`;
    if (rng.chance(rates.numberStrayCase)) number = rng.chance(0.5) ? number.toLowerCase() : `${number} `;

    let netUnits = 0;
    for (const line of lines) netUnits += sign * line.amountUnits;
    if (rng.chance(rates.netMismatch)) netUnits += rng.chance(0.5) ? 100 : -100;
    const taxUnits = roundToCents((netUnits * taxRate) / 10_000);
    let grossUnits = netUnits + taxUnits;
    if (rng.chance(rates.grossMismatch)) grossUnits += rng.chance(0.5) ? 100 : -100;

    const ageDays = (PORTAL_NOW_UTC_MS - this.lastDayMs) / DAY_MS;
    let status: 'Open' | 'Paid' | 'Overdue' | 'Void';
    if (ageDays < INVOICE_STATUS_RECENT_DAYS) status = rng.chance(0.8) ? 'Open' : 'Paid';
    else {
      const overdue = profile.status === 'Active' ? 0.03 : 0.25;
      const roll = rng.next();
      status = roll < 0.02 ? 'Void' : roll < 0.02 + overdue ? 'Overdue' : 'Paid';
    }

    sink.push('Invoices', {
      InvoiceId: invoiceId,
      InvoiceNumber: number,
      PartnerId: this.ctx.partnerId,
      DocumentType: writeEnum(documentType, rng, 0.01, 0.003, UNKNOWN_ENUMS.documentType).raw,
      InvoiceDate: invoiceDate,
      DueDate: rng.chance(rates.dueDateNull) ? null : formatCalendarDate(this.lastDayMs + 30 * DAY_MS),
      CurrencyCode: this.ctx.currencyWritten,
      NetAmount: formatMoney(netUnits),
      TaxAmount: formatMoney(taxUnits),
      GrossAmount: formatMoney(grossUnits),
      Status: writeEnum(status, rng, 0.015, 0.004, UNKNOWN_ENUMS.invoiceStatus).raw,
      ModifiedAtUtc: modifiedAfter(rng, this.lastDayMs + 86_399_000, 40 * DAY_MS),
    });
    const rate = formatRate(taxRate);
    const modified = modifiedAfter(rng, this.lastDayMs + 86_399_000, DAY_MS);
    for (const line of lines) {
      sink.push('InvoiceLines', {
        InvoiceLineId: ++ids.invoiceLine,
        InvoiceId: invoiceId,
        OrderId: line.orderId,
        CustomerId: line.customerId,
        Description: line.description,
        Quantity: formatQuantity(line.quantity),
        UnitPrice: formatMoney(sign * line.unitUnits),
        Amount: formatMoney(sign * line.amountUnits),
        TaxRate: rate,
        ModifiedAtUtc: modified,
      });
    }
  }
}
