import type { LegacyOrder, LegacyOrderLine } from '../../../src/core/legacy-model';
import { transformOrders } from '../../../src/transform';
import {
  closed,
  ctx,
  expectCountsInvariant,
  expectNoEmailInDetails,
  findingCodes,
  migrated,
  order,
  orderLine,
  quarantined,
} from './fixtures';

const LICENSEES: ReadonlyMap<number, string> = new Map([[100, 'LCE-0000-0000-0000-0100']]);

function run(orders: LegacyOrder[], lines: LegacyOrderLine[] = [], decision = migrated) {
  const result = transformOrders(decision, orders, lines, LICENSEES, ctx);
  expectCountsInvariant(result);
  expectNoEmailInDetails(result);
  return result;
}

describe('transformOrders: archive rows', () => {
  it('archives an order and its line as written', () => {
    const result = run([order()], [orderLine()]);
    expect(result.rows.archive_orders).toEqual([
      {
        legacy_order_id: 500,
        order_number: 'SO-500',
        legacy_partner_id: 42,
        account_id: migrated.accountId,
        legacy_customer_id: 100,
        licensee_id: 'LCE-0000-0000-0000-0100',
        order_type: 'New',
        marketplace_type: 'Purchase',
        status: 'Completed',
        marketplace_status: 'Completed',
        ordered_at: '2024-01-15T11:00:00.000Z',
        order_date_local: '2024-01-15 12:00:00.000',
        currency: 'CHF',
        total_amount: '30.0000',
        po_number: 'PO-1',
        created_by: 'anna@acme.ch',
        legacy_row_version: '4001',
      },
    ]);
    expect(result.rows.archive_order_lines).toEqual([
      {
        legacy_order_line_id: 5000,
        legacy_order_id: 500,
        line_no: 1,
        sku: 'CFQ7TTC0LF8Q',
        product_name: 'Microsoft 365 E3',
        quantity: 3,
        unit_price: '10.0000',
        line_total: '30.0000',
        billing_frequency: 'Monthly',
        billing_frequency_raw: 'Monthly',
        term_months: 12,
        subscription_ref: 'SUB-A',
        legacy_row_version: '4002',
      },
    ]);
    expect(result.findings).toEqual([]);
    expect(result.counts).toEqual({
      order: { extracted: 1, loaded: 1, quarantined: 0, skipped: 0 },
      order_line: { extracted: 1, loaded: 1, quarantined: 0, skipped: 0 },
    });
  });

  it.each([
    ['New', 'Purchase'],
    ['AddSeats', 'Change'],
    ['RemoveSeats', 'Change'],
    ['Cancel', 'Termination'],
    ['Renew', 'Change'],
    ['AutoRenewToggle', 'Configuration'],
    ['add seats ', 'Change'],
  ])('type %j -> %j', (raw, mapped) => {
    const row = run([order({ OrderType: raw })]).rows.archive_orders![0]!;
    expect(row).toMatchObject({ order_type: raw.trim(), marketplace_type: mapped });
  });

  it.each([
    ['Draft', 'Draft'],
    ['Submitted', 'Processing'],
    ['InProgress', 'Processing'],
    ['In Progress', 'Processing'],
    ['Completed', 'Completed'],
    ['Complete', 'Completed'],
    ['Failed', 'Failed'],
    ['Cancelled', 'Failed'],
    ['Canceled', 'Failed'],
    ['Completed  ', 'Completed'],
  ])('status %j -> %j', (raw, mapped) => {
    const row = run([order({ Status: raw })]).rows.archive_orders![0]!;
    expect(row).toMatchObject({ status: raw.trim(), marketplace_status: mapped });
  });

  it.each([
    ['unknown type', { OrderType: 'Upgrade' }, { order_type: 'Upgrade', marketplace_type: null }, ['unknown_enum']],
    ['unknown status', { Status: 'Done' }, { status: 'Done', marketplace_status: null }, ['unknown_enum']],
    [
      'both unknown',
      { OrderType: 'X', Status: 'Y' },
      { marketplace_type: null, marketplace_status: null },
      ['unknown_enum', 'unknown_enum'],
    ],
    [
      'sentinel 1900',
      { OrderDate: '1900-01-01 00:00:00.000' },
      { ordered_at: null, order_date_local: '1900-01-01 00:00:00.000' },
      ['sentinel_date'],
    ],
    ['sentinel 1753', { OrderDate: '1753-01-01 00:00:00.000' }, { ordered_at: null }, ['sentinel_date']],
    ['impossible date', { OrderDate: '2023-02-30 10:00:00.000' }, { ordered_at: null }, ['invalid_date']],
    ['spring gap', { OrderDate: '2024-03-31 02:30:00.000' }, { ordered_at: '2024-03-31T01:30:00.000Z' }, []],
    ['autumn overlap', { OrderDate: '2024-10-27 02:30:00.000' }, { ordered_at: '2024-10-27T00:30:00.000Z' }, []],
    ['summer time', { OrderDate: '2023-07-01 08:15:30.500' }, { ordered_at: '2023-07-01T06:15:30.500Z' }, []],
    ['lower-case currency normalised', { CurrencyCode: ' eur' }, { currency: 'EUR' }, []],
    ['invalid currency kept normalised', { CurrencyCode: 'eu ' }, { currency: 'EU' }, ['invalid_currency']],
    ['no customer', { CustomerId: null }, { legacy_customer_id: null, licensee_id: null }, ['orphan_customer']],
    [
      'customer not migrated or missing',
      { CustomerId: 999 },
      { legacy_customer_id: 999, licensee_id: null },
      ['orphan_customer'],
    ],
    ['blank optional text kept', { PoNumber: '  ', CreatedBy: null }, { po_number: '', created_by: null }, []],
  ])('%s', (_label, over, expected, codes) => {
    const result = run([order(over)]);
    expect(result.rows.archive_orders![0]).toMatchObject(expected);
    expect(findingCodes(result, '500')).toEqual(codes);
    expect(result.counts.order?.loaded).toBe(1);
  });

  it.each([[closed], [quarantined]])('archives a %j partner without account or licensee', (decision) => {
    const result = run([order()], [orderLine()], decision);
    expect(result.rows.archive_orders![0]).toMatchObject({ account_id: null, licensee_id: null });
    expect(findingCodes(result)).toEqual(['orphan_customer']);
    expect(result.rows.archive_order_lines).toHaveLength(1);
  });
});

describe('transformOrders: amounts', () => {
  it.each([
    [
      'lines add up',
      '30.0000',
      [
        ['3', '10.0000', '30.0000'],
        ['0', '5.0000', '0.0000'],
      ],
      [],
      [],
    ],
    ['header differs from the lines', '31.0000', [['3', '10.0000', '30.0000']], ['amount_mismatch'], []],
    ['rounding difference on a line counts', '10.0000', [['3', '3.3333', '10.0000']], [], ['amount_mismatch']],
    ['credit lines', '-20.0000', [['-2', '10.0000', '-20.0000']], [], []],
    [
      'exact sum of many small lines',
      '0.3000',
      [
        ['1', '0.1000', '0.1000'],
        ['1', '0.2000', '0.2000'],
      ],
      [],
      [],
    ],
    ['scale differences are not differences', '30.00', [['3', '10.0000', '30.0000']], [], []],
  ])('%s', (_label, total, lines, orderCodes, lineCodes) => {
    const result = run(
      [order({ TotalAmount: total })],
      lines.map(([qty, price, lineTotal], index) =>
        orderLine({
          OrderLineId: 5000 + index,
          LineNo: index + 1,
          Quantity: Number(qty),
          UnitPrice: price,
          LineTotal: lineTotal,
        }),
      ),
    );
    expect(findingCodes(result, '500')).toEqual(orderCodes);
    expect(result.findings.filter((finding) => finding.entity === 'order_line').map((finding) => finding.code)).toEqual(
      lineCodes,
    );
    expect(result.rows.archive_orders![0]!.total_amount).toBe(total);
  });

  it('does not compare an order whose lines are not in the page, and archives lines of other orders', () => {
    const result = run(
      [order({ OrderId: 500, TotalAmount: '99.0000' })],
      [orderLine({ OrderId: 499, OrderLineId: 4999 })],
    );
    expect(findingCodes(result, '500')).toEqual([]);
    expect(result.rows.archive_order_lines!.map((line) => line.legacy_order_id)).toEqual([499]);
    expect(result.counts.order_line).toEqual({ extracted: 1, loaded: 1, quarantined: 0, skipped: 0 });
  });

  it('keeps money strings exactly as written', () => {
    const row = run(
      [order({ TotalAmount: '1234567890.1200' })],
      [orderLine({ UnitPrice: '0.1000', LineTotal: '0.3000' })],
    );
    expect(row.rows.archive_orders![0]!.total_amount).toBe('1234567890.1200');
    expect(row.rows.archive_order_lines![0]).toMatchObject({ unit_price: '0.1000', line_total: '0.3000' });
  });
});

describe('transformOrders: lines', () => {
  it.each([
    ['Monthly', 'Monthly', []],
    ['annual', 'Annual', []],
    [' One Time ', 'OneTime', []],
    ['one-time', 'OneTime', []],
    ['Yearly', null, ['unknown_enum']],
    ['', null, ['unknown_enum']],
  ])('billing frequency %j -> %j', (raw, mapped, codes) => {
    const result = run([], [orderLine({ BillingFrequency: raw })]);
    expect(result.rows.archive_order_lines![0]).toMatchObject({
      billing_frequency: mapped,
      billing_frequency_raw: raw.trim(),
    });
    expect(findingCodes(result, '5000')).toEqual(codes);
  });

  it('counts every row of a large page as loaded', () => {
    const orders = Array.from({ length: 50 }, (_, i) => order({ OrderId: i, CustomerId: i % 3 === 0 ? null : 100 }));
    const lines = Array.from({ length: 120 }, (_, i) => orderLine({ OrderLineId: i, OrderId: i % 60 }));
    const result = run(orders, lines);
    expect(result.counts.order).toEqual({ extracted: 50, loaded: 50, quarantined: 0, skipped: 0 });
    expect(result.counts.order_line).toEqual({ extracted: 120, loaded: 120, quarantined: 0, skipped: 0 });
    expect(result.rows.archive_orders).toHaveLength(50);
    expect(result.rows.archive_order_lines).toHaveLength(120);
  });
});
