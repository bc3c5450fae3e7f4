import mysql from 'mysql2/promise';
import { canonicalText, rowHash } from '../../src/core/canonical';
import { SourceUnavailableError, ContractViolationError } from '../../src/core/errors';
import { openLegacyAdmin, openSourceReader } from '../../src/extract/engines';
import type { KeyRange } from '../../src/core/key-range';
import type { LegacyAdmin, SourceReader } from '../../src/extract/source-reader';
import { freshMariaDb, type TestDatabase } from '../helpers/databases';

/** Partner 1 owns most rows; partner 2's rows interleave with its keys; partner 3 has none. */
const PARTNERS = [
  {
    PartnerId: 1,
    PartnerCode: 'acme-01 ',
    CompanyName: 'Acme Zürich AG  ',
    CountryCode: 'ch',
    CurrencyCode: 'chf',
    Status: 'Active',
    CreatedAt: '1900-01-01 00:00:00.000',
    ModifiedAtUtc: '2024-03-31T01:30:00.123Z',
    MpnId: null,
  },
  {
    PartnerId: 2,
    PartnerCode: 'ACME-02',
    CompanyName: '株式会社 🚀',
    CountryCode: 'UK',
    CurrencyCode: 'GBP',
    Status: 'Suspended',
    CreatedAt: '2024-03-31 02:30:00.000',
    ModifiedAtUtc: '2024-01-31T10:00:00.000Z',
    MpnId: '1234567',
  },
  {
    PartnerId: 3,
    PartnerCode: 'EMPTY',
    CompanyName: 'Nobody',
    CountryCode: 'DE',
    CurrencyCode: 'EUR',
    Status: 'Closed',
    CreatedAt: '2020-02-29 23:59:59.000',
    ModifiedAtUtc: '2020-02-29T22:59:59.999Z',
  },
];
const ORDER_IDS = Array.from({ length: 30 }, (_, i) => i + 1);
const partnerOfOrder = (id: number) => (id % 3 === 0 ? 2 : 1);
const linesOfOrder = (id: number) => id % 4; // 0..3 lines, some orders have none

function fixtures() {
  const users = Array.from({ length: 12 }, (_, i) => ({
    UserId: i + 1,
    PartnerId: i % 4 === 3 ? 2 : 1,
    Email: i === 0 ? ' Anna.Muster@Example.COM ' : i === 1 ? 'n/a' : `user${i}@example.com`,
    FirstName: i === 2 ? null : 'Anna',
    LastName: 'Müller ',
    Role: i === 0 ? 'Admin' : 'ReadOnly ',
    IsPrimary: i < 2,
    IsActive: i !== 5,
    LastLoginAt: i === 3 ? null : '2023-10-29 02:30:00.000',
    ModifiedAtUtc: '2023-10-29T01:30:00.000Z',
  }));
  const customers = Array.from({ length: 9 }, (_, i) => ({
    CustomerId: i + 1,
    PartnerId: i % 3 === 2 ? 2 : 1,
    CustomerName: `Kunde ${i} `,
    TenantId:
      i === 0 ? 'AbCdEf01-2345-6789-ABCD-ef0123456789' : i === 1 ? null : `0000000${i}-aaaa-bbbb-cccc-dddddddddddd`,
    CountryCode: i === 0 ? 'ch' : null,
    IsDeleted: i === 4,
    CreatedAt: '2019-06-01 12:00:00.000',
    ModifiedAtUtc: '2019-06-01T10:00:00.000Z',
  }));
  const orders = ORDER_IDS.map((id) => ({
    OrderId: id,
    OrderNumber: `SO-${id}`,
    PartnerId: partnerOfOrder(id),
    CustomerId: id === 7 ? 999 : (id % 9) + 1,
    OrderType: 'New',
    Status: id === 2 ? 'Complete ' : 'Completed',
    OrderDate: id === 1 ? '1900-01-01 00:00:00.000' : '2024-03-31 02:15:00.000',
    CurrencyCode: 'chf ',
    TotalAmount: id === 1 ? '12.3456' : `${id}00.1000`,
    ModifiedAtUtc: '2024-03-31T00:15:00.000Z',
  }));
  let lineId = 0;
  const orderLines = ORDER_IDS.flatMap((orderId) =>
    Array.from({ length: linesOfOrder(orderId) }, (_, n) => ({
      OrderLineId: ++lineId,
      OrderId: orderId,
      LineNo: n + 1,
      Sku: `SKU-${n}`,
      ProductName: 'Microsoft 365 E3 ',
      Quantity: 3,
      UnitPrice: '10.3333',
      LineTotal: '31.0000',
      BillingFrequency: 'Monthly',
      TermMonths: n === 0 ? null : 12,
      SubscriptionRef: n === 0 ? null : `sub-${orderId}-${n}`,
      ModifiedAtUtc: '2024-01-01T00:00:00.000Z',
    })),
  );
  const invoices = Array.from({ length: 10 }, (_, i) => ({
    InvoiceId: i + 1,
    InvoiceNumber: `INV-${i + 1}`,
    PartnerId: i % 2 === 0 ? 1 : 2,
    DocumentType: i === 4 ? 'CreditNote' : 'Invoice',
    InvoiceDate: '2024-02-29',
    DueDate: i === 0 ? null : '2024-03-30',
    CurrencyCode: 'CHF',
    NetAmount: i === 4 ? '-100.5000' : '100.0000',
    TaxAmount: '8.1000',
    GrossAmount: '108.1000',
    Status: 'Open',
    ModifiedAtUtc: '2024-03-01T00:00:00.000Z',
  }));
  let invoiceLineId = 0;
  const invoiceLines = invoices.flatMap((invoice) =>
    Array.from({ length: invoice.InvoiceId % 3 }, () => ({
      InvoiceLineId: ++invoiceLineId,
      InvoiceId: invoice.InvoiceId,
      OrderId: invoice.InvoiceId === 1 ? null : invoice.InvoiceId,
      CustomerId: null,
      Description: 'Licences 🚀 ',
      Quantity: '1.5000',
      UnitPrice: '66.6667',
      Amount: '100.0000',
      TaxRate: '8.10',
      ModifiedAtUtc: '2024-03-01T00:00:00.000Z',
    })),
  );
  return { users, customers, orders, orderLines, invoices, invoiceLines };
}

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

const inRange = (key: number, range?: KeyRange) =>
  (range?.after === undefined || key > range.after) && (range?.upTo === undefined || key <= range.upTo);

describe('MariaDB source reader', () => {
  let db: TestDatabase;
  let admin: LegacyAdmin;
  let reader: SourceReader;
  let raw: mysql.Connection;
  const data = fixtures();

  beforeAll(async () => {
    db = await freshMariaDb('extract');
    admin = await openLegacyAdmin({ url: db.url });
    expect(await admin.isEmpty()).toBe(true);
    await admin.applySchema();
    await admin.applySchema(); // idempotent: tables exist, nothing happens
    expect(await admin.isEmpty()).toBe(true);
    await admin.insertRows('Partners', PARTNERS);
    await admin.insertRows('PartnerUsers', data.users);
    await admin.insertRows('Customers', data.customers);
    await admin.insertRows('Orders', data.orders);
    await admin.insertRows('OrderLines', data.orderLines);
    await admin.insertRows('Invoices', data.invoices);
    await admin.insertRows('InvoiceLines', data.invoiceLines);
    reader = await openSourceReader({ url: db.url, timeZone: 'Europe/Zurich' });
    raw = await mysql.createConnection(db.url);
  });

  afterAll(async () => {
    await raw?.end();
    await reader?.close();
    await admin?.close();
    await db?.drop();
  });

  it('reports the engine and a non-empty database', async () => {
    expect(reader.engine).toBe('mariadb');
    expect(await admin.isEmpty()).toBe(false);
  });

  it('reads the watermark without advancing the sequence', async () => {
    const first = await reader.watermark();
    const second = await reader.watermark();
    expect(first).toMatch(/^\d+$/);
    expect(second).toBe(first);
    const total =
      PARTNERS.length +
      data.users.length +
      data.customers.length +
      data.orders.length +
      data.orderLines.length +
      data.invoices.length +
      data.invoiceLines.length;
    expect(first).toBe(String(total)); // one RowVer per inserted row, nothing consumed by reading
  });

  it('hands values on in the engine-neutral representation, dirty values untouched', async () => {
    const wm = await reader.watermark();
    const partner = await reader.readPartner(1, wm);
    expect(partner).toMatchObject({
      PartnerId: 1,
      PartnerCode: 'acme-01 ',
      CompanyName: 'Acme Zürich AG  ',
      CountryCode: 'ch',
      CurrencyCode: 'chf',
      MpnId: null,
      CreatedAt: '1900-01-01 00:00:00.000',
      ModifiedAtUtc: '2024-03-31T01:30:00.123Z',
      PortalMode: 'Live',
    });
    expect(typeof partner?.RowVer).toBe('string');
    expect((await reader.readPartner(2, wm))?.CompanyName).toBe('株式会社 🚀');
    expect(await reader.readPartner(999, wm)).toBeUndefined();

    const [users] = await collect(reader.streamUsers(1, { watermark: wm, batchSize: 100 }));
    expect(users.rows[0]).toMatchObject({
      Email: ' Anna.Muster@Example.COM ',
      IsPrimary: true,
      IsActive: true,
      LastLoginAt: '2023-10-29 02:30:00.000',
    });
    expect(users.rows.find((u) => u.UserId === 6)?.IsActive).toBe(false);
    expect(users.rows.find((u) => u.UserId === 4)).toBeUndefined(); // partner 2's
    const [customers] = await collect(reader.streamCustomers(1, { watermark: wm, batchSize: 100 }));
    expect(customers.rows[0]).toMatchObject({
      TenantId: 'AbCdEf01-2345-6789-ABCD-ef0123456789',
      CustomerName: 'Kunde 0 ',
      IsDeleted: false,
    });
    expect(customers.rows.find((c) => c.CustomerId === 5)?.IsDeleted).toBe(true);

    const [orders] = await collect(reader.streamOrders(1, { watermark: wm, batchSize: 100 }));
    // CHAR(3): MariaDB strips trailing pad spaces on read (SQL Server pads them); transform trims either way.
    expect(orders.rows[0]).toMatchObject({
      OrderId: 1,
      TotalAmount: '12.3456',
      OrderDate: '1900-01-01 00:00:00.000',
      CurrencyCode: 'chf',
    });
    expect(orders.rows.find((o) => o.OrderId === 2)?.Status).toBe('Complete ');
    expect(orders.lines[0]).toMatchObject({
      UnitPrice: '10.3333',
      LineTotal: '31.0000',
      TermMonths: null,
      SubscriptionRef: null,
    });
    for (const row of [...orders.rows, ...orders.lines]) expect(row.RowVer).toMatch(/^\d+$/);

    const [invoices] = await collect(reader.streamInvoices(1, { watermark: wm, batchSize: 100 }));
    expect(invoices.rows[0]).toMatchObject({ InvoiceDate: '2024-02-29', DueDate: null, GrossAmount: '108.1000' });
    expect(invoices.rows.find((i) => i.InvoiceId === 5)?.NetAmount).toBe('-100.5000');
    expect(invoices.lines[0]).toMatchObject({
      Quantity: '1.5000',
      TaxRate: '8.10',
      OrderId: null,
      Description: 'Licences 🚀 ',
    });
  });

  const ranges: Array<KeyRange | undefined> = [
    undefined,
    { after: 5 },
    { upTo: 12 },
    { after: 3, upTo: 17 },
    { after: 29 },
    { after: 40 },
  ];
  const batchSizes = [1, 2, 3, 7, 100];

  it.each(batchSizes)('covers every order and line exactly once per range, batchSize %i', async (batchSize) => {
    const wm = await reader.watermark();
    for (const range of ranges) {
      const pages = await collect(reader.streamOrders(1, { watermark: wm, batchSize, range }));
      let previous = range?.after ?? -Infinity;
      for (const page of pages) {
        expect(page.rows.length).toBeLessThanOrEqual(batchSize);
        for (const row of page.rows) expect(row.OrderId > previous && row.OrderId <= page.cursor).toBe(true);
        // Lines come with their orders: inside the page's key interval.
        for (const line of page.lines) expect(line.OrderId > previous && line.OrderId <= page.cursor).toBe(true);
        previous = page.cursor;
      }
      const orderIds = pages.flatMap((p) => p.rows.map((r) => r.OrderId));
      const expectedOrders = ORDER_IDS.filter((id) => partnerOfOrder(id) === 1 && inRange(id, range));
      expect(orderIds).toEqual(expectedOrders);
      const lineIds = pages.flatMap((p) => p.lines.map((l) => l.OrderLineId));
      const expectedLines = data.orderLines.filter((l) => expectedOrders.includes(l.OrderId)).map((l) => l.OrderLineId);
      expect(lineIds).toEqual(expectedLines);

      const invoicePages = await collect(reader.streamInvoices(1, { watermark: wm, batchSize, range }));
      const invoiceIds = invoicePages.flatMap((p) => p.rows.map((r) => r.InvoiceId));
      const expectedInvoices = data.invoices
        .filter((i) => i.PartnerId === 1 && inRange(i.InvoiceId, range))
        .map((i) => i.InvoiceId);
      expect(invoiceIds).toEqual(expectedInvoices);
      expect(invoicePages.flatMap((p) => p.lines.map((l) => l.InvoiceLineId))).toEqual(
        data.invoiceLines.filter((l) => expectedInvoices.includes(l.InvoiceId)).map((l) => l.InvoiceLineId),
      );

      const userPages = await collect(reader.streamUsers(1, { watermark: wm, batchSize, range }));
      for (const page of userPages) expect(page.rows.length).toBeLessThanOrEqual(batchSize);
      expect(userPages.flatMap((p) => p.rows.map((r) => r.UserId))).toEqual(
        data.users.filter((u) => u.PartnerId === 1 && inRange(u.UserId, range)).map((u) => u.UserId),
      );
      const customerPages = await collect(reader.streamCustomers(1, { watermark: wm, batchSize, range }));
      expect(customerPages.flatMap((p) => p.rows.map((r) => r.CustomerId))).toEqual(
        data.customers.filter((c) => c.PartnerId === 1 && inRange(c.CustomerId, range)).map((c) => c.CustomerId),
      );
    }
  });

  it('yields nothing for a partner without rows', async () => {
    const wm = await reader.watermark();
    expect(await collect(reader.streamOrders(3, { watermark: wm, batchSize: 5 }))).toEqual([]);
    expect(await collect(reader.streamUsers(3, { watermark: wm, batchSize: 5 }))).toEqual([]);
    expect(await reader.partitionBounds('order', 3, wm, 2)).toEqual([]);
  });

  it('splits a partner into partitions that together cover its orders', async () => {
    const wm = await reader.watermark();
    const keys = ORDER_IDS.filter((id) => partnerOfOrder(id) === 1); // 20 orders
    const bounds = await reader.partitionBounds('order', 1, wm, 6);
    expect(bounds).toEqual([keys[5], keys[11], keys[17]]);
    expect(await reader.partitionBounds('order', 1, wm, 5)).toEqual([keys[4], keys[9], keys[14]]); // no empty last partition
    expect(await reader.partitionBounds('order', 1, wm, 100)).toEqual([]);
    const edges = [undefined, ...bounds, undefined];
    const seen: number[] = [];
    for (let i = 0; i + 1 < edges.length; i += 1) {
      const pages = await collect(
        reader.streamOrders(1, { watermark: wm, batchSize: 4, range: { after: edges[i], upTo: edges[i + 1] } }),
      );
      const ids = pages.flatMap((p) => p.rows.map((r) => r.OrderId));
      expect(ids.length).toBeLessThanOrEqual(6);
      seen.push(...ids);
    }
    expect(seen).toEqual(keys);
    const invoiceBounds = await reader.partitionBounds('invoice', 1, wm, 2);
    expect(invoiceBounds).toEqual([3, 7]);
  });

  it('counts what the streams read', async () => {
    const wm = await reader.watermark();
    const counts = await reader.countPartnerRows(1, wm);
    const orders = await collect(reader.streamOrders(1, { watermark: wm, batchSize: 4 }));
    const invoices = await collect(reader.streamInvoices(1, { watermark: wm, batchSize: 4 }));
    expect(counts).toEqual({
      partner: 1,
      user: data.users.filter((u) => u.PartnerId === 1).length,
      customer: data.customers.filter((c) => c.PartnerId === 1).length,
      order: orders.reduce((n, p) => n + p.rows.length, 0),
      order_line: orders.reduce((n, p) => n + p.lines.length, 0),
      invoice: invoices.reduce((n, p) => n + p.rows.length, 0),
      invoice_line: invoices.reduce((n, p) => n + p.lines.length, 0),
    });
    expect(counts.order).toBe(20);
    expect(await reader.countPartnerRows(3, wm)).toEqual({
      partner: 1,
      user: 0,
      customer: 0,
      order: 0,
      order_line: 0,
      invoice: 0,
      invoice_line: 0,
    });
  });

  it('counts many partners at once exactly as one by one', async () => {
    const wm = await reader.watermark();
    const ids = await reader.listPartnerIds();
    const grouped = await reader.countRowsByPartner([...ids, 999_999], wm);
    for (const id of ids) expect(grouped.get(id)).toEqual(await reader.countPartnerRows(id, wm));
    expect(grouped.get(999_999)).toEqual({
      partner: 0,
      user: 0,
      customer: 0,
      order: 0,
      order_line: 0,
      invoice: 0,
      invoice_line: 0,
    });
    expect(await reader.countRowsByPartner([], wm)).toEqual(new Map());
  });

  it("digests many partners in one grouped scan exactly as each partner's own checksum, with money per currency and month", async () => {
    const wm = await reader.watermark();
    for (const entity of ['order', 'order_line', 'invoice', 'invoice_line'] as const) {
      const digests = await reader.partnerDigests(entity, [1, 2, 3], wm);
      for (const id of [1, 2])
        expect(digests.get(id)?.checksum).toEqual((await reader.rangeChecksums(entity, id, wm, [{}]))[0]);
      expect(digests.has(3)).toBe(false);
    }
    const orders = await reader.partnerDigests('order', [1], wm);
    // Money summed by the database, exactly: '12.3456' + the other orders of partner 1, all CHF; the 1900 order has its own month.
    const expected = data.orders
      .filter((o) => o.PartnerId === 1 && o.OrderId !== 1)
      .reduce((sum, o) => sum + Number(o.TotalAmount.split('.')[0]) * 10_000 + 1_000, 0);
    expect(orders.get(1)!.money).toEqual(
      expect.arrayContaining([
        { entity: 'order', currency: 'CHF', month: '1900-01', count: 1, amounts: { total: '12.3456' } },
        {
          entity: 'order',
          currency: 'CHF',
          month: '2024-03',
          count: 19,
          amounts: { total: `${Math.floor(expected / 10_000)}.${String(expected % 10_000).padStart(4, '0')}` },
        },
      ]),
    );
    const invoices = await reader.partnerDigests('invoice', [1], wm);
    expect(invoices.get(1)!.money).toEqual([
      {
        entity: 'invoice',
        currency: 'CHF',
        month: '2024-02',
        count: 5,
        amounts: { net: '299.5000', tax: '40.5000', gross: '540.5000' },
      },
    ]);
    await expect(reader.partnerDigests('order', [], wm)).resolves.toEqual(new Map());
  });

  it('hashes each row inside MariaDB as core/canonical hashes its canonical text: trimmed, upper-cased, padded to milliseconds', async () => {
    const wm = await reader.watermark();
    const [versions] = await raw.query('SELECT OrderId, RowVer FROM Orders WHERE OrderId IN (1, 2)');
    const rowVer = new Map(
      (versions as Array<{ OrderId: number; RowVer: string | number }>).map((row) => [row.OrderId, String(row.RowVer)]),
    );
    const orderText = (id: number, status: string, date: string, total: string) =>
      canonicalText([
        String(id),
        `SO-${id}`,
        '1',
        String((id % 9) + 1),
        'New',
        status,
        date,
        'CHF',
        total,
        null,
        null,
        rowVer.get(id)!,
      ]);
    const orders = await reader.keyChecksums('order', 1, wm, { upTo: 2 });
    expect(orders).toEqual([
      { key: 1, hash: rowHash(orderText(1, 'Completed', '1900-01-01 00:00:00.000', '12.3456')) },
      { key: 2, hash: rowHash(orderText(2, 'Complete', '2024-03-31 02:15:00.000', '200.1000')) },
    ]);
    // A text ending in a four-byte character and a space: the space goes, the character stays.
    const [lines] = await raw.query('SELECT InvoiceLineId, RowVer FROM InvoiceLines WHERE InvoiceId = 1');
    const line = (lines as Array<{ InvoiceLineId: number; RowVer: string | number }>)[0];
    const [lineHash] = await reader.keyChecksums('invoice_line', 1, wm, { upTo: 1 });
    expect(lineHash).toEqual({
      key: line.InvoiceLineId,
      hash: rowHash(
        canonicalText([
          String(line.InvoiceLineId),
          '1',
          null,
          null,
          'Licences 🚀',
          '1.5000',
          '66.6667',
          '100.0000',
          '8.10',
          String(line.RowVer),
        ]),
      ),
    });
  });

  it('reads the partner rows, users and customers of many partners as the per-partner reads do', async () => {
    const wm = await reader.watermark();
    const rows = await reader.readAccountRows([2, 1, 42], wm, 2);
    expect(rows.partners).toEqual([await reader.readPartner(1, wm), await reader.readPartner(2, wm)]);
    const users = [
      ...(await collect(reader.streamUsers(1, { watermark: wm, batchSize: 5 }))),
      ...(await collect(reader.streamUsers(2, { watermark: wm, batchSize: 5 }))),
    ]
      .flatMap((page) => page.rows)
      .sort((a, b) => a.UserId - b.UserId);
    expect(rows.users).toEqual(users);
    expect(rows.customers.map((c) => c.CustomerId)).toEqual(data.customers.map((c) => c.CustomerId));
    expect(await reader.readAccountRows([], wm, 2)).toEqual({ partners: [], users: [], customers: [] });
  });

  it('lists partner ids in key order, filtered and limited', async () => {
    expect(await reader.listPartnerIds()).toEqual([1, 2, 3]);
    expect(await reader.listPartnerIds({ limit: 2 })).toEqual([1, 2]);
    expect(await reader.listPartnerIds({ ids: [3, 1, 42] })).toEqual([1, 3]);
    expect(await reader.listPartnerIds({ ids: [] })).toEqual([]);
  });

  it('excludes writes made after the watermark, but keeps lines whose order changed later', async () => {
    const wm = await reader.watermark();
    const before = await reader.countPartnerRows(1, wm);
    await admin.insertRows('Orders', [{ ...data.orders[0], OrderId: 100, OrderNumber: 'SO-100' }]);
    await admin.insertRows('OrderLines', [{ ...data.orderLines[0], OrderLineId: 1000, OrderId: 100 }]);
    await raw.query("UPDATE Orders SET Status = 'Cancelled' WHERE OrderId = 2"); // order 2 now beyond wm, its 2 lines not
    const pages = await collect(reader.streamOrders(1, { watermark: wm, batchSize: 3 }));
    const orderIds = pages.flatMap((p) => p.rows.map((r) => r.OrderId));
    expect(orderIds).not.toContain(100);
    expect(orderIds).not.toContain(2);
    const lines = pages.flatMap((p) => p.lines);
    expect(lines.map((l) => l.OrderId)).not.toContain(100);
    expect(lines.filter((l) => l.OrderId === 2)).toHaveLength(2);
    expect(await reader.countPartnerRows(1, wm)).toEqual({ ...before, order: before.order - 1 });

    const later = await reader.watermark();
    expect(BigInt(later)).toBe(BigInt(wm) + 3n);
    const after = await collect(reader.streamOrders(1, { watermark: later, batchSize: 3 }));
    expect(after.flatMap((p) => p.rows.map((r) => r.OrderId))).toEqual(expect.arrayContaining([2, 100]));
    expect(after.flatMap((p) => p.lines.map((l) => l.OrderLineId))).toContain(1000);
    // The last order of the range is beyond the watermark: its lines still come, on the final page.
    await raw.query("UPDATE Orders SET Status = 'Cancelled' WHERE OrderId = 100");
    const tail = await collect(reader.streamOrders(1, { watermark: later, batchSize: 3, range: { after: 29 } }));
    expect(tail.flatMap((p) => p.rows.map((r) => r.OrderId))).toEqual([]);
    expect(tail.flatMap((p) => p.lines.map((l) => l.OrderLineId))).toEqual([1000]);
    expect(tail[tail.length - 1].cursor).toBe(100);
  });

  it('writes PortalMode and refuses values the portal does not know', async () => {
    await reader.setPortalMode(3, 'MigrationScheduled');
    const wm = await reader.watermark();
    expect((await reader.readPartner(3, wm))?.PortalMode).toBe('MigrationScheduled');
    await reader.setPortalMode(3, 'MigrationScheduled'); // unchanged value still matches the row
    await expect(reader.setPortalMode(3, 'Gone' as never)).rejects.toBeInstanceOf(ContractViolationError);
    await expect(reader.setPortalMode(424242, 'Archive')).rejects.toBeInstanceOf(ContractViolationError);
  });

  it('rejects a malformed watermark instead of comparing it as a float', async () => {
    await expect(reader.countPartnerRows(1, '1e3')).rejects.toBeInstanceOf(ContractViolationError);
  });

  it('translates an unreachable server into a retryable error without the password', async () => {
    const error = await openSourceReader({ url: 'mysql://root:Sup3rS3cret@127.0.0.1:1/partner_portal' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SourceUnavailableError);
    expect((error as SourceUnavailableError).retryable).toBe(true);
    expect((error as Error).message).toContain('127.0.0.1:1');
    expect((error as Error).message).not.toContain('Sup3rS3cret');
  });

  it('drops the schema on reset and applies it again', async () => {
    const other = await freshMariaDb('extract_reset');
    const otherAdmin = await openLegacyAdmin({ url: other.url });
    try {
      await otherAdmin.applySchema();
      await otherAdmin.insertRows('Partners', PARTNERS.slice(0, 1));
      expect(await otherAdmin.isEmpty()).toBe(false);
      await otherAdmin.reset();
      expect(await otherAdmin.isEmpty()).toBe(true);
      await otherAdmin.applySchema();
      await otherAdmin.insertRows('Partners', PARTNERS.slice(0, 1));
      expect(await otherAdmin.isEmpty()).toBe(false);
    } finally {
      await otherAdmin.close();
      await other.drop();
    }
  });
});
