import type { LegacyInvoice, LegacyInvoiceLine } from '../../../src/core/legacy-model';
import { transformInvoices } from '../../../src/transform';
import {
  closed,
  ctx,
  expectCountsInvariant,
  expectNoEmailInDetails,
  findingCodes,
  invoice,
  invoiceLine,
  migrated,
} from './fixtures';

function run(invoices: LegacyInvoice[], lines: LegacyInvoiceLine[] = [], decision = migrated) {
  const result = transformInvoices(decision, invoices, lines, ctx);
  expectCountsInvariant(result);
  expectNoEmailInDetails(result);
  return result;
}

describe('transformInvoices', () => {
  it('archives an invoice and its line as written', () => {
    const result = run([invoice()], [invoiceLine()]);
    expect(result.rows.archive_invoices).toEqual([
      {
        legacy_invoice_id: 700,
        invoice_number: 'INV-700',
        legacy_partner_id: 42,
        account_id: migrated.accountId,
        document_type: 'Invoice',
        document_type_raw: 'Invoice',
        invoice_date: '2024-02-01',
        due_date: '2024-03-02',
        currency: 'CHF',
        net_amount: '100.0000',
        tax_amount: '8.1000',
        gross_amount: '108.1000',
        status: 'Open',
        marketplace_status: 'Issued',
        legacy_row_version: '5001',
      },
    ]);
    expect(result.rows.archive_invoice_lines).toEqual([
      {
        legacy_invoice_line_id: 7000,
        legacy_invoice_id: 700,
        legacy_order_id: 500,
        legacy_customer_id: 100,
        description: 'Microsoft 365 E3',
        quantity: '10.0000',
        unit_price: '10.0000',
        amount: '100.0000',
        tax_rate: '8.10',
        legacy_row_version: '5002',
      },
    ]);
    expect(result.findings).toEqual([]);
    expect(result.counts).toEqual({
      invoice: { extracted: 1, loaded: 1, quarantined: 0, skipped: 0 },
      invoice_line: { extracted: 1, loaded: 1, quarantined: 0, skipped: 0 },
    });
  });

  it.each([
    ['Invoice', 'Invoice'],
    ['CreditNote', 'CreditMemo'],
    ['credit note ', 'CreditMemo'],
    ['CREDIT_NOTE', 'CreditMemo'],
    ['Receipt', null],
  ])('document type %j -> %j', (raw, mapped) => {
    const result = run([invoice({ DocumentType: raw })]);
    expect(result.rows.archive_invoices![0]).toMatchObject({ document_type: mapped, document_type_raw: raw.trim() });
    expect(findingCodes(result)).toEqual(mapped === null ? ['unknown_enum'] : []);
  });

  it.each([
    ['Open', 'Issued'],
    ['Paid', 'Paid'],
    ['Overdue', 'Overdue'],
    ['Void', 'Void'],
    [' paid ', 'Paid'],
    ['Closed', null],
  ])('status %j -> %j', (raw, mapped) => {
    const result = run([invoice({ Status: raw })]);
    expect(result.rows.archive_invoices![0]).toMatchObject({ status: raw.trim(), marketplace_status: mapped });
    expect(findingCodes(result)).toEqual(mapped === null ? ['unknown_enum'] : []);
  });

  it.each([
    ['gross = net + tax', {}, [], []],
    ['gross differs from net + tax', { GrossAmount: '108.1100' }, [], ['amount_mismatch']],
    [
      'credit note with negative amounts',
      { DocumentType: 'CreditNote', NetAmount: '-100.0000', TaxAmount: '-8.1000', GrossAmount: '-108.1000' },
      [{ Amount: '-100.0000' }],
      [],
    ],
    [
      'net differs from its lines',
      { NetAmount: '100.0000', TaxAmount: '8.1000', GrossAmount: '108.1000' },
      [{ Amount: '60.0000' }, { InvoiceLineId: 7001, Amount: '40.0001' }],
      ['amount_mismatch'],
    ],
    ['net equals its lines', {}, [{ Amount: '60.0000' }, { InvoiceLineId: 7001, Amount: '40.0000' }], []],
    [
      'both mismatches',
      { NetAmount: '90.0000', GrossAmount: '1.0000' },
      [{ Amount: '100.0000' }],
      ['amount_mismatch', 'amount_mismatch'],
    ],
    [
      'no lines in the page: net is not compared',
      { NetAmount: '5.0000', TaxAmount: '0.0000', GrossAmount: '5.0000' },
      [],
      [],
    ],
  ] as Array<[string, Partial<LegacyInvoice>, Partial<LegacyInvoiceLine>[], string[]]>)(
    '%s',
    (_label, over, lines, codes) => {
      const result = run(
        [invoice(over)],
        lines.map((line) => invoiceLine(line)),
      );
      expect(findingCodes(result, '700')).toEqual(codes);
      expect(result.rows.archive_invoices![0]).toMatchObject({ net_amount: over.NetAmount ?? '100.0000' });
    },
  );

  it.each([
    ['lower-case currency', { CurrencyCode: 'eur ' }, { currency: 'EUR' }, []],
    ['invalid currency kept normalised', { CurrencyCode: ' ab' }, { currency: 'AB' }, ['invalid_currency']],
    ['impossible due date: NULL', { DueDate: '2024-02-30' }, { due_date: null }, ['invalid_date']],
    ['no due date', { DueDate: null }, { due_date: null }, []],
    ['impossible invoice date kept', { InvoiceDate: '2023-02-29' }, { invoice_date: '2023-02-29' }, ['invalid_date']],
  ])('%s', (_label, over, expected, codes) => {
    const result = run([invoice(over)]);
    expect(result.rows.archive_invoices![0]).toMatchObject(expected);
    expect(findingCodes(result, '700')).toEqual(codes);
  });

  it("archives a closed partner's invoices without account", () => {
    const result = run([invoice()], [invoiceLine()], closed);
    expect(result.rows.archive_invoices![0]!.account_id).toBeNull();
    expect(result.counts.invoice?.loaded).toBe(1);
  });

  it('archives lines of invoices outside the page', () => {
    const result = run(
      [],
      [invoiceLine({ InvoiceId: 1 }), invoiceLine({ InvoiceLineId: 2, InvoiceId: 2, OrderId: null, CustomerId: null })],
    );
    expect(result.rows.archive_invoice_lines).toHaveLength(2);
    expect(result.counts.invoice_line).toEqual({ extracted: 2, loaded: 2, quarantined: 0, skipped: 0 });
    expect(result.counts.invoice).toEqual({ extracted: 0, loaded: 0, quarantined: 0, skipped: 0 });
  });
});
