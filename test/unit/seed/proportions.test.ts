import { generateLegacyPortal, type SeedRow } from '../../../src/seed';
import { collectPortal, totalRows, type Portal } from './portal-fixture';

/** Rows per partner, lines counted with their order or invoice. */
function rowsPerPartner(portal: Portal): number[] {
  const perPartner = new Map<unknown, number>();
  const add = (partnerId: unknown) => perPartner.set(partnerId, (perPartner.get(partnerId) ?? 0) + 1);
  const partnerOfOrder = new Map(portal.rows.Orders.map((row) => [row.OrderId, row.PartnerId]));
  const partnerOfInvoice = new Map(portal.rows.Invoices.map((row) => [row.InvoiceId, row.PartnerId]));
  for (const table of ['Partners', 'PartnerUsers', 'Customers', 'Orders', 'Invoices'] as const)
    for (const row of portal.rows[table]) add(row.PartnerId);
  for (const row of portal.rows.OrderLines) add(partnerOfOrder.get(row.OrderId));
  for (const row of portal.rows.InvoiceLines) add(partnerOfInvoice.get(row.InvoiceId));
  return [...perPartner.values()].sort((a, b) => b - a);
}

describe('portal proportions', () => {
  const portal = collectPortal({ partners: 200, seed: 1 });
  const total = totalRows(portal);
  const sizes = rowsPerPartner(portal);

  it('honours the default targetRows (partners x 300) within 15%', () => {
    expect(Math.abs(total - 200 * 300) / (200 * 300)).toBeLessThan(0.15);
  });

  it('honours an explicit targetRows within 15%', () => {
    let rows = 0;
    for (const chunk of generateLegacyPortal({ partners: 500, seed: 3, targetRows: 200_000 }))
      rows += chunk.rows.length;
    expect(Math.abs(rows - 200_000) / 200_000).toBeLessThan(0.15);
  });

  it('has one very large partner (about 15% of all rows) and a top 2% holding 35-55%', () => {
    expect(sizes[0] / total).toBeGreaterThan(0.1);
    expect(sizes[0] / total).toBeLessThan(0.2);
    const top = sizes.slice(0, Math.ceil(sizes.length * 0.02)).reduce((sum, rows) => sum + rows, 0);
    expect(top / total).toBeGreaterThan(0.35);
    expect(top / total).toBeLessThan(0.55);
  });

  it('has a long tail of small partners', () => {
    const median = sizes[Math.floor(sizes.length / 2)];
    expect(median).toBeLessThan(total / sizes.length / 2);
    expect(sizes[sizes.length - 1]).toBeGreaterThanOrEqual(5);
    const small = portal.rows.Customers.reduce(
      (map, row) => map.set(row.PartnerId, (map.get(row.PartnerId) ?? 0) + 1),
      new Map<unknown, number>(),
    );
    expect(Math.min(...small.values())).toBeGreaterThanOrEqual(2);
    expect(Math.max(...small.values())).toBeGreaterThanOrEqual(100);
  });

  it('has users 1-50 per partner, order lines 1-5 per order, mostly Active partners', () => {
    const users = portal.rows.PartnerUsers.reduce(
      (map, row) => map.set(row.PartnerId, (map.get(row.PartnerId) ?? 0) + 1),
      new Map<unknown, number>(),
    );
    expect(users.size).toBe(200);
    expect(Math.min(...users.values())).toBeGreaterThanOrEqual(1);
    expect(Math.max(...users.values())).toBeLessThanOrEqual(50);
    const lines = portal.rows.OrderLines.reduce(
      (map, row) => map.set(row.OrderId, Math.max(map.get(row.OrderId) ?? 0, row.LineNo as number)),
      new Map<unknown, number>(),
    );
    expect(Math.max(...lines.values())).toBeLessThanOrEqual(5);
    expect(portal.rows.Orders.every((row: SeedRow) => lines.has(row.OrderId))).toBe(true);
    const active = portal.rows.Partners.filter((row) => String(row.Status).trim().toLowerCase() === 'active').length;
    expect(active / 200).toBeGreaterThan(0.75);
  });
});

describe('streaming a 1,000,000-row portal', () => {
  it('yields partner after partner with bounded memory, never holding the portal', () => {
    (globalThis as { gc?: () => void }).gc?.();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    let rows = 0;
    let chunks = 0;
    let lastPartnersChunk = -1;
    let firstInvoiceLinesChunk = -1;
    for (const chunk of generateLegacyPortal({ partners: 2000, seed: 5, targetRows: 1_000_000 })) {
      if (chunk.table === 'Partners') lastPartnersChunk = chunks;
      if (chunk.table === 'InvoiceLines' && firstInvoiceLinesChunk < 0) firstInvoiceLinesChunk = chunks;
      rows += chunk.rows.length;
      chunks++;
      if (chunks % 20 === 0) {
        // Retained memory, not garbage waiting for a collection (the test command exposes gc).
        (globalThis as { gc?: () => void }).gc?.();
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
    }
    expect(Math.abs(rows - 1_000_000) / 1_000_000).toBeLessThan(0.15);
    // Children of early partners arrive before the last partners are even created.
    expect(firstInvoiceLinesChunk).toBeLessThan(lastPartnersChunk);
    // A held portal of a million rows needs several hundred MB; streaming stays far below.
    expect(peak - baseline).toBeLessThan(250 * 1024 * 1024);
  });
});
