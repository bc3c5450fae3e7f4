import type { Knex } from 'knex';
import { ContractViolationError, UsageError } from '../../src/core/errors';
import { emptyBatchResult } from '../../src/core/outcomes';
import type { ArchiveOrderLineRow, ArchiveOrderRow } from '../../src/core/target-model';
import {
  connectTarget,
  createRun,
  createWave,
  findUnfinishedRun,
  findWave,
  finishRun,
  listPlannedPartnerIds,
  listWavePartners,
  migrateTarget,
  movePartners,
  readCheckpoint,
  readIdMap,
  readReplayOrders,
  readReplayOrdersOfPartners,
  readSellers,
  setPartnerState,
  sumCheckpointCounts,
  withLoadTransaction,
  writeBatch,
} from '../../src/load';
import { freshPostgres, type TestDatabase } from '../helpers/databases';

let database: TestDatabase;
let db: Knex;

beforeAll(async () => {
  database = await freshPostgres('load_state');
  await migrateTarget(database.url);
  db = connectTarget(database.url);
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

describe('waves', () => {
  it('creates a wave with its partners planned, and refuses a duplicate name', async () => {
    const waveId = await createWave(db, 'wave-1', [3, 1, 2, 2]);
    expect(await findWave(db, 'wave-1')).toMatchObject({
      id: waveId,
      name: 'wave-1',
      status: 'planned',
      finished_at: null,
    });
    expect(await findWave(db, waveId)).toMatchObject({ name: 'wave-1' });
    expect(await findWave(db, 'nope')).toBeUndefined();
    const partners = await listWavePartners(db, waveId);
    expect(partners.map((partner) => [partner.legacy_partner_id, partner.state])).toEqual([
      [1, 'planned'],
      [2, 'planned'],
      [3, 'planned'],
    ]);
    expect(partners[0]!.planned_at).toMatch(/Z$/);
    await expect(createWave(db, 'wave-1', [4])).rejects.toThrow(UsageError);
    await expect(createWave(db, 'wave-1', [4])).rejects.toThrow(/exists already/);
    expect(await listPlannedPartnerIds(db)).toEqual([1, 2, 3]);
  });

  it('moves partners through their lifecycle, stamping each step', async () => {
    const waveId = await createWave(db, 'wave-2', [10]);
    for (const state of ['notified', 'loading', 'loaded', 'verified', 'cutover', 'done'] as const) {
      const partner = await setPartnerState(db, waveId, 10, state);
      expect(partner.state).toBe(state);
      expect(partner[`${state}_at`]).not.toBeNull();
    }
    const failed = await setPartnerState(db, waveId, 10, 'failed', 'smtp down');
    expect(failed).toMatchObject({ state: 'failed', failure_reason: 'smtp down' });
    expect(failed.verified_at).not.toBeNull();
    await expect(setPartnerState(db, waveId, 99, 'loading')).rejects.toThrow(UsageError);
  });

  it('moves the partners of a chunk that are in one state to another in one statement, leaving the others', async () => {
    const waveId = await createWave(db, 'wave-move', [31, 32, 33, 34]);
    for (const id of [31, 32, 33]) await setPartnerState(db, waveId, id, 'loaded');
    await setPartnerState(db, waveId, 33, 'failed', 'boom');
    expect(await movePartners(db, waveId, [31, 32, 33, 34, 99], 'loaded', 'verified')).toEqual([31, 32]);
    const partners = new Map(
      (await listWavePartners(db, waveId)).map((partner) => [partner.legacy_partner_id, partner]),
    );
    expect(partners.get(31)).toMatchObject({ state: 'verified' });
    expect(partners.get(31)!.verified_at).not.toBeNull();
    expect(partners.get(33)).toMatchObject({ state: 'failed', failure_reason: 'boom' });
    expect(partners.get(34)).toMatchObject({ state: 'planned' });
    expect(await movePartners(db, waveId, [32], 'verified', 'loaded')).toEqual([32]);
    expect(
      (await listWavePartners(db, waveId)).find((partner) => partner.legacy_partner_id === 32)!.verified_at,
    ).toBeNull();
    expect(await movePartners(db, waveId, [], 'loaded', 'verified')).toEqual([]);
  });

  it('never moves a partner to cutover without verified, even by hand', async () => {
    const waveId = await createWave(db, 'wave-3', [20]);
    await setPartnerState(db, waveId, 20, 'loaded');
    await expect(setPartnerState(db, waveId, 20, 'cutover')).rejects.toThrow(ContractViolationError);
    await setPartnerState(db, waveId, 20, 'verified');
    await setPartnerState(db, waveId, 20, 'loading');
    const reloaded = (await listWavePartners(db, waveId))[0]!;
    expect(reloaded.verified_at).toBeNull();
    await expect(setPartnerState(db, waveId, 20, 'cutover')).rejects.toThrow(/not verified|needs verified/);
    await setPartnerState(db, waveId, 20, 'failed', 'load failed');
    await expect(setPartnerState(db, waveId, 20, 'cutover')).rejects.toThrow(ContractViolationError);
    await expect(
      db.raw(`UPDATE migration.wave_partners SET state = 'cutover' WHERE wave_id = ?`, [waveId]),
    ).rejects.toThrow(/cutover_needs_verified/);
    await expect(
      db.raw(`UPDATE migration.wave_partners SET state = 'cutover', verified_at = now() WHERE wave_id = ?`, [waveId]),
    ).rejects.toThrow(/cutover_needs_verified/);
  });
});

describe('runs and checkpoints', () => {
  it('creates, finds and finishes runs', async () => {
    const waveId = await createWave(db, 'wave-runs', [40]);
    expect(await findUnfinishedRun(db, waveId)).toBeUndefined();
    const run = await createRun(db, { kind: 'wave', waveId, watermark: '18446744073709551615' });
    expect(run).toMatchObject({
      kind: 'wave',
      status: 'running',
      wave_id: waveId,
      watermark: '18446744073709551615',
      finished_at: null,
    });
    expect(typeof run.id).toBe('string');
    expect((await findUnfinishedRun(db, waveId))?.id).toBe(run.id);
    const finished = await finishRun(db, run.id, 'succeeded', {
      order: { extracted: 2, loaded: 2, quarantined: 0, skipped: 0 },
    });
    expect(finished).toMatchObject({ status: 'succeeded', counts: { order: { extracted: 2 } } });
    expect(finished.finished_at).toMatch(/Z$/);
    expect(await findUnfinishedRun(db, waveId)).toBeUndefined();
  });

  it('reads checkpoints and sums their counts per entity', async () => {
    const run = await createRun(db, { kind: 'wave' });
    const counts = (extracted: number, quarantined = 0) => ({
      extracted,
      loaded: extracted - quarantined,
      quarantined,
      skipped: 0,
    });
    const write = (partnerId: number, jobKey: string, cursor: number, done: boolean, jobCounts: object) =>
      withLoadTransaction(db, (trx) =>
        writeBatch(trx, emptyBatchResult(), { runId: run.id, partnerId, jobKey, cursor, done, counts: jobCounts }),
      );
    await write(1, 'orders:0', 100, false, { order: counts(10), order_line: counts(30) });
    await write(1, 'orders:0', 200, true, { order: counts(20), order_line: counts(60, 1) });
    await write(2, 'orders:0', 50, true, { order: counts(5) });
    await write(2, 'core', 0, true, { partner: counts(1, 1) });
    expect(await readCheckpoint(db, run.id, 1, 'orders:0')).toMatchObject({
      cursor: 200,
      done: true,
      counts: { order: counts(20) },
    });
    expect(await readCheckpoint(db, run.id, 1, 'invoices:0')).toBeUndefined();
    expect(await sumCheckpointCounts(db, run.id)).toEqual({
      order: counts(25),
      order_line: counts(60, 1),
      partner: counts(1, 1),
    });
    expect(await sumCheckpointCounts(db, run.id, { partnerId: 2 })).toEqual({
      order: counts(5),
      partner: counts(1, 1),
    });
  });
});

describe('reference reads', () => {
  it('reads sellers for the transform context', async () => {
    const sellers = await readSellers(db);
    expect(sellers).toHaveLength(25);
    expect(sellers.find((seller) => seller.country === 'GB')).toEqual({
      id: 'SEL-0000-0000-0000-0012',
      externalId: 'SWO_GB',
      name: 'SoftwareOne United Kingdom',
      country: 'GB',
      currencies: ['GBP', 'EUR', 'USD'],
      status: 'Active',
    });
  });

  it('reads the id map for given legacy keys', async () => {
    const run = await createRun(db, { kind: 'wave' });
    await withLoadTransaction(db, (trx) =>
      writeBatch(
        trx,
        {
          ...emptyBatchResult(),
          idMap: [
            { legacyTable: 'customer', legacyKey: '1', marketplaceId: 'LCE-1' },
            { legacyTable: 'customer', legacyKey: '2', marketplaceId: 'LCE-2' },
            { legacyTable: 'partner', legacyKey: '1', marketplaceId: 'ACC-1' },
          ],
        },
        { runId: run.id, partnerId: 1, jobKey: 'ids', cursor: null, done: true, counts: {} },
      ),
    );
    expect(await readIdMap(db, 'customer', ['1', '2', '3'])).toEqual(
      new Map([
        ['1', 'LCE-1'],
        ['2', 'LCE-2'],
      ]),
    );
    expect(await readIdMap(db, 'customer', [])).toEqual(new Map());
  });

  it("reads what the replay uses of partners' completed orders, each order's lines in LineNo order", async () => {
    const run = await createRun(db, { kind: 'wave' });
    const order = (
      id: number,
      local: string,
      status: string | null,
      partnerId = 5,
      customerId: number | null = 77,
    ): ArchiveOrderRow => ({
      legacy_order_id: id,
      order_number: `O${id}`,
      legacy_partner_id: partnerId,
      account_id: null,
      legacy_customer_id: customerId,
      licensee_id: null,
      order_type: ' addseats',
      marketplace_type: 'Change',
      status: 'complete',
      marketplace_status: status,
      ordered_at: null,
      order_date_local: local,
      currency: 'CHF',
      total_amount: '0.0000',
      po_number: null,
      created_by: null,
      legacy_row_version: '1',
    });
    const line = (id: number, orderId: number, lineNo: number, ref: string | null): ArchiveOrderLineRow => ({
      legacy_order_line_id: id,
      legacy_order_id: orderId,
      line_no: lineNo,
      sku: 'SKU',
      product_name: 'Name',
      quantity: 3,
      unit_price: '1.0000',
      line_total: '3.0000',
      billing_frequency: 'Annual',
      billing_frequency_raw: 'annual',
      term_months: null,
      subscription_ref: ref,
      legacy_row_version: '1',
    });
    await withLoadTransaction(db, (trx) =>
      writeBatch(
        trx,
        {
          ...emptyBatchResult(),
          rows: {
            archive_orders: [
              order(3, '2024-01-02 08:00:00.000', 'Completed'),
              order(1, '2024-01-02 08:00:00.000', 'Completed'),
              order(2, '2023-12-31 23:59:59.999', 'Completed'),
              order(4, '2023-01-01 00:00:00.000', 'Failed'),
              order(5, '2023-01-01 00:00:00.000', 'Completed', 6),
              order(6, '2025-01-01 00:00:00.000', 'Completed'),
              order(7, '2025-02-01 00:00:00.000', 'Completed', 5, null),
              order(9, '2025-03-01 00:00:00.000', 'Completed', 6),
            ],
            archive_order_lines: [
              line(12, 1, 3, 'REF-C'),
              line(11, 1, 2, ' REF-B '),
              line(10, 1, 1, 'REF-A'),
              line(20, 2, 1, '  '),
              line(21, 2, 2, null),
              line(40, 4, 1, 'X'),
              line(50, 5, 1, 'P6'),
              line(70, 7, 1, 'NO-CUSTOMER'),
              {
                ...line(90, 9, 1, 'P6-Ü'),
                sku: 'SKU-É',
                product_name: 'Zürich ☁ 𝔘\tPlan',
                quantity: -2,
                billing_frequency_raw: 'monthly',
                term_months: 12,
              },
            ],
          },
        },
        { runId: run.id, partnerId: 5, jobKey: 'orders:0', cursor: null, done: true, counts: {} },
      ),
    );
    const histories = await readReplayOrdersOfPartners(db, [5, 6, 8]);
    // Orders 2 (blank and missing refs), 3 and 6 (no lines), 4 (failed) and 7 (no customer) cannot change a subscription.
    expect(histories.ordersOf(5)).toEqual([
      {
        orderId: 1,
        orderType: ' addseats',
        status: 'complete',
        orderDateLocal: '2024-01-02 08:00:00.000',
        customerId: 77,
        lines: [
          {
            subscriptionRef: 'REF-A',
            sku: 'SKU',
            productName: 'Name',
            quantity: 3,
            billingFrequency: 'annual',
            termMonths: null,
          },
          {
            subscriptionRef: 'REF-B',
            sku: 'SKU',
            productName: 'Name',
            quantity: 3,
            billingFrequency: 'annual',
            termMonths: null,
          },
          {
            subscriptionRef: 'REF-C',
            sku: 'SKU',
            productName: 'Name',
            quantity: 3,
            billingFrequency: 'annual',
            termMonths: null,
          },
        ],
      },
    ]);
    // Orders come in the order the database reads them (replaySubscriptions orders them).
    const partner6 = histories.ordersOf(6).sort((a, b) => a.orderId - b.orderId);
    expect(partner6.map((o) => [o.orderId, o.orderDateLocal, o.lines.map((l) => l.subscriptionRef)])).toEqual([
      [5, '2023-01-01 00:00:00.000', ['P6']],
      [9, '2025-03-01 00:00:00.000', ['P6-Ü']],
    ]);
    // Text beyond ASCII, negative numbers and NULLs come through the binary read as stored.
    expect(partner6[1].lines).toEqual([
      {
        subscriptionRef: 'P6-Ü',
        sku: 'SKU-É',
        productName: 'Zürich ☁ 𝔘\tPlan',
        quantity: -2,
        billingFrequency: 'monthly',
        termMonths: 12,
      },
    ]);
    expect(histories.ordersOf(8)).toEqual([]);
    expect(histories.ordersOf(9)).toEqual([]);
    expect(await readReplayOrders(db, 5)).toEqual(histories.ordersOf(5));
  });
});
