/**
 * The SQL Server engine against a real SQL Server 2022 in a container. Runs where a Docker
 * engine is reachable; elsewhere (these CI machines) the suite reports itself skipped with the
 * reason. The SQL it sends is pinned without a server in test/unit/extract/dialect-sql.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { StartedMSSQLServerContainer } from '@testcontainers/mssqlserver';
import { ContractViolationError, SourceUnavailableError } from '../../src/core/errors';
import { openLegacyAdmin, openSourceReader } from '../../src/extract/engines';
import type { KeyRange } from '../../src/core/key-range';
import type { LegacyAdmin, SourceReader } from '../../src/extract/source-reader';

const IMAGE = 'mcr.microsoft.com/mssql/server:2022-latest';

/** Why the suite cannot run here, or undefined when a container runtime answers. Synchronous: decided at module load. */
function dockerUnavailableReason(): string | undefined {
  const socket = ['/var/run/docker.sock', `${process.env.HOME ?? ''}/.docker/run/docker.sock`].find((path) =>
    existsSync(path),
  );
  if (!process.env.DOCKER_HOST && !socket) return 'no Docker socket (/var/run/docker.sock) and DOCKER_HOST is unset';
  // testcontainers' own runtime discovery, in a child process so a failure cannot break this module.
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      "require('testcontainers').getContainerRuntimeClient().then(() => process.exit(0), (e) => { console.error(String(e && e.message || e)); process.exit(1); })",
    ],
    {
      cwd: __dirname,
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  if (probe.status === 0) return undefined;
  const lines = (probe.stderr || probe.error?.message || 'no answer')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const detail = lines.find((line) => /error/i.test(line)) ?? lines[0] ?? 'no answer';
  return `testcontainers found no container runtime: ${detail}`;
}

const skipReason = dockerUnavailableReason();
// Jest's reporter prints no console output of a wholly skipped file, so the reason goes to
// stderr directly, at collection time, and into the suite's name for the JSON results.
if (skipReason) process.stderr.write(`mssql container suite skipped: ${skipReason}\n`);
const describeIfDocker = skipReason ? describe.skip : describe;
const SUITE = 'SQL Server engine in a container';

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

const inRange = (key: number, range?: KeyRange) =>
  (range?.after === undefined || key > range.after) && (range?.upTo === undefined || key <= range.upTo);
const ORDER_IDS = Array.from({ length: 24 }, (_, i) => i + 1);
const partnerOfOrder = (id: number) => (id % 3 === 0 ? 2 : 1);

describeIfDocker(skipReason ? `${SUITE} (skipped: ${skipReason})` : SUITE, () => {
  let container: StartedMSSQLServerContainer;
  let url: string;
  let admin: LegacyAdmin;
  let reader: SourceReader;
  const orderLines = ORDER_IDS.flatMap((orderId) =>
    Array.from({ length: orderId % 4 }, (_, n) => ({ orderId, n })),
  ).map(({ orderId, n }, i) => ({
    OrderLineId: i + 1,
    OrderId: orderId,
    LineNo: n + 1,
    Sku: 'SKU',
    ProductName: 'Microsoft 365 E3 ',
    Quantity: 3,
    UnitPrice: '10.3333',
    LineTotal: '31.0000',
    BillingFrequency: 'Monthly',
    TermMonths: n === 0 ? null : 12,
    SubscriptionRef: null,
    ModifiedAtUtc: '2024-01-01T00:00:00.000Z',
  }));

  beforeAll(async () => {
    const { MSSQLServerContainer } = await import('@testcontainers/mssqlserver');
    container = await new MSSQLServerContainer(IMAGE).acceptLicense().withPassword('Ppm!Str0ng#Pass').start();
    url = `mssql://${container.getUsername()}:${encodeURIComponent(container.getPassword())}@${container.getHost()}:${container.getPort()}/partner_portal?trustServerCertificate=true`;
    admin = await openLegacyAdmin({ url });
    await admin.applySchema();
    await admin.applySchema();
    expect(await admin.isEmpty()).toBe(true);
    await admin.insertRows('Partners', [
      {
        PartnerId: 1,
        PartnerCode: 'acme-01 ',
        CompanyName: 'Acme Zürich 株式会社 🚀',
        CountryCode: 'ch',
        CurrencyCode: 'eu',
        Status: 'Active',
        CreatedAt: '1900-01-01 00:00:00.000',
        ModifiedAtUtc: '2024-03-31T01:30:00.123Z',
      },
      {
        PartnerId: 2,
        PartnerCode: 'ACME-02',
        CompanyName: 'Other',
        CountryCode: 'UK',
        CurrencyCode: 'GBP',
        Status: 'Suspended',
        CreatedAt: '2024-03-31 02:30:00.000',
        ModifiedAtUtc: '2024-01-31T10:00:00.000Z',
      },
    ]);
    await admin.insertRows(
      'PartnerUsers',
      [1, 2, 3, 4, 5].map((id) => ({
        UserId: id,
        PartnerId: id === 3 ? 2 : 1,
        Email: ` User${id}@Example.COM `,
        Role: 'Admin',
        IsPrimary: id === 1,
        IsActive: id !== 2,
        LastLoginAt: id === 4 ? null : '2023-10-29 02:30:00.000',
        ModifiedAtUtc: '2023-10-29T01:30:00.000Z',
      })),
    );
    await admin.insertRows(
      'Customers',
      [1, 2, 3].map((id) => ({
        CustomerId: id,
        PartnerId: 1,
        CustomerName: `Kunde ${id} `,
        TenantId: id === 1 ? 'abcdef01-2345-6789-abcd-ef0123456789' : null,
        IsDeleted: id === 3,
        CreatedAt: '2019-06-01 12:00:00.000',
        ModifiedAtUtc: '2019-06-01T10:00:00.000Z',
      })),
    );
    await admin.insertRows(
      'Orders',
      ORDER_IDS.map((id) => ({
        OrderId: id,
        OrderNumber: `SO-${id}`,
        PartnerId: partnerOfOrder(id),
        CustomerId: id === 5 ? 999 : 1,
        OrderType: 'New',
        Status: 'Completed',
        OrderDate: '2024-03-31 02:15:00.000',
        CurrencyCode: 'chf',
        TotalAmount: id === 1 ? '922337203685477.5807' : '12.3456',
        ModifiedAtUtc: '2024-03-31T00:15:00.000Z',
      })),
    );
    await admin.insertRows('OrderLines', orderLines);
    await admin.insertRows(
      'Invoices',
      [1, 2, 3].map((id) => ({
        InvoiceId: id,
        InvoiceNumber: `INV-${id}`,
        PartnerId: 1,
        DocumentType: id === 2 ? 'CreditNote' : 'Invoice',
        InvoiceDate: '2024-02-29',
        DueDate: null,
        CurrencyCode: 'CHF',
        NetAmount: id === 2 ? '-100.5000' : '100.0000',
        TaxAmount: '8.1000',
        GrossAmount: '108.1000',
        Status: 'Open',
        ModifiedAtUtc: '2024-03-01T00:00:00.000Z',
      })),
    );
    await admin.insertRows('InvoiceLines', [
      {
        InvoiceLineId: 1,
        InvoiceId: 1,
        OrderId: 1,
        CustomerId: null,
        Description: 'Licences',
        Quantity: '1.5000',
        UnitPrice: '66.6667',
        Amount: '100.0000',
        TaxRate: '8.10',
        ModifiedAtUtc: '2024-03-01T00:00:00.000Z',
      },
    ]);
    reader = await openSourceReader({ url });
  }, 300_000);

  afterAll(async () => {
    await reader?.close();
    await admin?.close();
    await container?.stop();
  });

  it('hands values on as text in the contract representation', async () => {
    const wm = await reader.watermark();
    expect(wm).toMatch(/^\d+$/);
    const partner = await reader.readPartner(1, wm);
    expect(partner).toMatchObject({
      PartnerCode: 'acme-01 ',
      CompanyName: 'Acme Zürich 株式会社 🚀',
      CurrencyCode: 'eu ',
      CreatedAt: '1900-01-01 00:00:00.000',
      ModifiedAtUtc: '2024-03-31T01:30:00.123Z',
      PortalMode: 'Live',
    });
    const [orders] = await collect(reader.streamOrders(1, { watermark: wm, batchSize: 100 }));
    expect(orders.rows[0].TotalAmount).toBe('922337203685477.5807'); // money's maximum, beyond a double's precision
    expect(orders.rows[1].TotalAmount).toBe('12.3456');
    expect(orders.rows[0].OrderDate).toBe('2024-03-31 02:15:00.000');
    expect(orders.lines[0].UnitPrice).toBe('10.3333');
    const [customers] = await collect(reader.streamCustomers(1, { watermark: wm, batchSize: 100 }));
    expect(customers.rows[0].TenantId?.toLowerCase()).toBe('abcdef01-2345-6789-abcd-ef0123456789');
    expect(customers.rows[2].IsDeleted).toBe(true);
    const [users] = await collect(reader.streamUsers(1, { watermark: wm, batchSize: 100 }));
    expect(users.rows.map((u) => u.UserId)).toEqual([1, 2, 4, 5]);
    expect(users.rows[1].IsActive).toBe(false);
    const [invoices] = await collect(reader.streamInvoices(1, { watermark: wm, batchSize: 100 }));
    expect(invoices.rows[1]).toMatchObject({ InvoiceDate: '2024-02-29', DueDate: null, NetAmount: '-100.5000' });
    expect(invoices.lines[0]).toMatchObject({ Quantity: '1.5000', TaxRate: '8.10' });
  });

  it.each([1, 2, 5, 100])('covers every order and line exactly once, batchSize %i', async (batchSize) => {
    const wm = await reader.watermark();
    for (const range of [undefined, { after: 4 }, { upTo: 13 }, { after: 2, upTo: 19 }]) {
      const pages = await collect(reader.streamOrders(1, { watermark: wm, batchSize, range }));
      for (const page of pages) expect(page.rows.length).toBeLessThanOrEqual(batchSize);
      const expected = ORDER_IDS.filter((id) => partnerOfOrder(id) === 1 && inRange(id, range));
      expect(pages.flatMap((p) => p.rows.map((r) => r.OrderId))).toEqual(expected);
      expect(pages.flatMap((p) => p.lines.map((l) => l.OrderLineId))).toEqual(
        orderLines.filter((l) => expected.includes(l.OrderId)).map((l) => l.OrderLineId),
      );
    }
  });

  it('splits partitions and counts like the streams', async () => {
    const wm = await reader.watermark();
    const keys = ORDER_IDS.filter((id) => partnerOfOrder(id) === 1);
    expect(await reader.partitionBounds('order', 1, wm, 5)).toEqual([keys[4], keys[9], keys[14]]);
    const counts = await reader.countPartnerRows(1, wm);
    expect(counts).toEqual({
      partner: 1,
      user: 4,
      customer: 3,
      order: keys.length,
      order_line: orderLines.filter((l) => partnerOfOrder(l.OrderId) === 1).length,
      invoice: 3,
      invoice_line: 1,
    });
    expect(await reader.listPartnerIds({ ids: [2, 9] })).toEqual([2]);
  });

  it('excludes later writes by MIN_ACTIVE_ROWVERSION and writes PortalMode', async () => {
    const wm = await reader.watermark();
    await reader.setPortalMode(1, 'MigrationScheduled');
    expect(await reader.readPartner(1, wm)).toBeUndefined(); // changed after the watermark
    const later = await reader.watermark();
    expect(BigInt(later)).toBeGreaterThan(BigInt(wm));
    expect((await reader.readPartner(1, later))?.PortalMode).toBe('MigrationScheduled');
    await expect(reader.setPortalMode(999, 'Archive')).rejects.toBeInstanceOf(ContractViolationError);
  });

  it('translates an unreachable server into a retryable error without the password', async () => {
    const error = await openSourceReader({
      url: 'mssql://sa:Sup3rS3cret@127.0.0.1:1/partner_portal?trustServerCertificate=true',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceUnavailableError);
    expect((error as Error).message).not.toContain('Sup3rS3cret');
  });

  it('resets the schema', async () => {
    await admin.reset();
    expect(await admin.isEmpty()).toBe(true);
    await admin.applySchema();
    expect(await admin.isEmpty()).toBe(true);
  });
});
