import type { Knex } from 'knex';
import { Client } from 'pg';
import { ContractViolationError } from '../../src/core/errors';
import { emptyBatchResult, type BatchResult } from '../../src/core/outcomes';
import {
  LOAD_ORDER,
  TARGET_TABLES,
  type ArchiveInvoiceLineRow,
  type ArchiveOrderLineRow,
  type UserRow,
} from '../../src/core/target-model';
import { connectTarget, migrateTarget } from '../../src/load/migrate-target';
import { createRun } from '../../src/load/state/create-run';
import { readCheckpoint } from '../../src/load/state/read-checkpoint';
import { RejectedRowError } from '../../src/load/copy/rejected-row-error';
import { withLoadTransaction } from '../../src/load/connection/with-load-transaction';
import { writeBatch, type WriteBatchMeta } from '../../src/load/write-batch';
import { freshPostgres, type TestDatabase } from '../helpers/databases';
import { sampleBatch } from './load-fixtures';

let database: TestDatabase;
let db: Knex;
let runId: string;

function meta(jobKey: string, cursor: number | null = 1, partnerId = 7): Exclude<WriteBatchMeta, readonly unknown[]> {
  return {
    runId,
    partnerId,
    jobKey,
    cursor,
    done: false,
    counts: { partner: { extracted: 1, loaded: 1, quarantined: 0, skipped: 0 } },
  };
}

/** xmin and updated_at of every row of the target tables: a row that was not touched keeps both. */
async function rowVersions(): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  for (const key of LOAD_ORDER) {
    const spec = TARGET_TABLES[key];
    const keyColumn = spec.columns[0]!.name;
    const result = await db.raw<{ rows: Array<{ k: string; v: string }> }>(
      `SELECT ${keyColumn}::text AS k, xmin::text || '/' || updated_at::text AS v FROM ${spec.name}`,
    );
    for (const row of result.rows) versions[`${spec.name}:${row.k}`] = row.v;
  }
  return versions;
}

function batchWith(rows: BatchResult['rows']): BatchResult {
  return { ...emptyBatchResult(), rows };
}

function orderLine(id: number, overrides: Partial<ArchiveOrderLineRow> = {}): ArchiveOrderLineRow {
  return {
    legacy_order_line_id: id,
    legacy_order_id: 1,
    line_no: 1,
    sku: 'SKU',
    product_name: 'Product',
    quantity: 1,
    unit_price: '1.0000',
    line_total: '1.0000',
    billing_frequency: 'Monthly',
    billing_frequency_raw: 'Monthly',
    term_months: 12,
    subscription_ref: null,
    legacy_row_version: '1',
    ...overrides,
  };
}

beforeAll(async () => {
  database = await freshPostgres('load_write_batch');
  await migrateTarget(database.url);
  db = connectTarget(database.url);
  runId = (await createRun(db, { kind: 'wave' })).id;
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

describe('writeBatch', () => {
  it('writes every target table, problems, findings, id map and checkpoint, values intact', async () => {
    const batch = sampleBatch(7);
    const summary = await withLoadTransaction(db, (trx) => writeBatch(trx, batch, meta('core')));
    for (const key of LOAD_ORDER) expect({ key, ...summary.tables[key] }).toEqual({ key, rows: 1, changed: 1 });
    expect(summary).toMatchObject({ quarantined: 1, skipped: 1, findings: 1, idMap: 5 });

    for (const key of LOAD_ORDER) {
      const spec = TARGET_TABLES[key];
      const expected = (batch.rows[key] as object[])[0]!;
      const stored = await db(spec.name).first(spec.columns.map((column) => column.name));
      expect({ key, row: stored }).toEqual({ key, row: expected });
    }
    expect(await db('migration.quarantine').select('entity', 'legacy_key', 'reason', 'raw', 'resolved_at')).toEqual([
      {
        entity: 'customer',
        legacy_key: '701',
        reason: 'duplicate_tenant',
        raw: { CustomerId: 701 },
        resolved_at: null,
      },
    ]);
    expect(await db('migration.skipped').select('entity', 'legacy_key', 'reason')).toEqual([
      { entity: 'user', legacy_key: '71', reason: 'inactive_user' },
    ]);
    expect(await db('migration.findings').select('code', 'legacy_key', 'legacy_partner_id')).toEqual([
      { code: 'invalid_currency', legacy_key: '7000', legacy_partner_id: 7 },
    ]);
    expect(await db('migration.id_map').count<{ count: string }[]>('* as count')).toEqual([{ count: '5' }]);
    expect(await readCheckpoint(db, runId, 7, 'core')).toMatchObject({
      runId,
      partnerId: 7,
      jobKey: 'core',
      cursor: 1,
      done: false,
      counts: meta('core').counts,
    });
  });

  it('changes no row when the same batch is replayed (xmin and updated_at unchanged)', async () => {
    const before = await rowVersions();
    const summary = await withLoadTransaction(db, (trx) => writeBatch(trx, sampleBatch(7), meta('core')));
    for (const key of LOAD_ORDER) expect({ key, changed: summary.tables[key]!.changed }).toEqual({ key, changed: 0 });
    expect(summary.findings).toBe(0);
    expect(summary.idMap).toBe(0);
    expect(await rowVersions()).toEqual(before);
    expect(await db('migration.quarantine').count<{ count: string }[]>('* as count')).toEqual([{ count: '1' }]);
    expect(await db('migration.findings').count<{ count: string }[]>('* as count')).toEqual([{ count: '1' }]);
  });

  it('updates a changed row, and only that one', async () => {
    const before = await rowVersions();
    const batch = sampleBatch(7);
    batch.rows.archive_invoices![0]!.status = 'Paid';
    batch.rows.archive_invoices![0]!.legacy_row_version = '200';
    const summary = await withLoadTransaction(db, (trx) => writeBatch(trx, batch, meta('core')));
    expect(summary.tables.archive_invoices!.changed).toBe(1);
    const after = await rowVersions();
    const changed = Object.keys(after).filter((key) => after[key] !== before[key]);
    expect(changed).toEqual(['archive.invoices:7000']);
    expect(await db('archive.invoices').first('status', 'legacy_row_version')).toEqual({
      status: 'Paid',
      legacy_row_version: '200',
    });
  });

  it('never takes an archive row back to an older legacy row version', async () => {
    const batch = sampleBatch(7);
    batch.rows.archive_invoices![0]!.status = 'Stale';
    batch.rows.archive_invoices![0]!.legacy_row_version = '150';
    await withLoadTransaction(db, (trx) => writeBatch(trx, batch, meta('core')));
    expect(await db('archive.invoices').first('status')).toEqual({ status: 'Paid' });
  });

  it('commits rows and checkpoint together: an error after the write rolls both back', async () => {
    const batch = sampleBatch(8);
    await expect(
      withLoadTransaction(db, async (trx) => {
        await writeBatch(trx, batch, meta('core', 5, 8));
        throw new Error('crash after COPY');
      }),
    ).rejects.toThrow('crash after COPY');
    expect(await db('archive.orders').where({ legacy_partner_id: 8 })).toEqual([]);
    expect(await db('marketplace.accounts').where({ legacy_partner_id: 8 })).toEqual([]);
    expect(await readCheckpoint(db, runId, 8, 'core')).toBeUndefined();
    expect(await db('migration.id_map').where({ legacy_table: 'partner', legacy_key: '8' })).toEqual([]);
  });

  it('works on a pg client in a transaction the caller opened', async () => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      await writeBatch(client, sampleBatch(9), meta('core', 1, 9));
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
    expect(await db('archive.orders').where({ legacy_partner_id: 9 }).count<{ count: string }[]>('* as count')).toEqual(
      [{ count: '1' }],
    );
    expect(await readCheckpoint(db, runId, 9, 'core')).toBeDefined();
  });

  it('refuses to run outside a transaction', async () => {
    await expect(writeBatch(db as unknown as Knex.Transaction, sampleBatch(7), meta('core'))).rejects.toThrow(
      /transaction/,
    );
  });

  it('keeps the names of the lowest legacy user id with an e-mail, whatever the order of batches', async () => {
    const user = (id: number, first: string): UserRow => ({
      id: 'USR-0000-0000-0000-9999',
      email: 'shared@contoso.example',
      first_name: first,
      last_name: 'Shared',
      status: 'Active',
      source_legacy_user_id: id,
    });
    const write = (users: UserRow[]) =>
      withLoadTransaction(db, (trx) => writeBatch(trx, batchWith({ users }), meta('users')));
    await write([user(50, 'Fifty')]);
    await write([user(30, 'Thirty'), user(40, 'Forty')]);
    await write([user(60, 'Sixty')]);
    await write([user(31, 'ThirtyOne')]);
    expect(
      await db('marketplace.users')
        .where({ email: 'shared@contoso.example' })
        .select('id', 'first_name', 'source_legacy_user_id'),
    ).toEqual([{ id: 'USR-0000-0000-0000-9999', first_name: 'Thirty', source_legacy_user_id: 30 }]);
    await write([user(30, 'Thirty Renamed')]);
    expect(await db('marketplace.users').first('first_name').where({ email: 'shared@contoso.example' })).toEqual({
      first_name: 'Thirty Renamed',
    });
  });

  it('takes duplicate keys within one batch (the last row wins)', async () => {
    const lines = [orderLine(900, { sku: 'first' }), orderLine(901), orderLine(900, { sku: 'last' })];
    const summary = await withLoadTransaction(db, (trx) =>
      writeBatch(trx, batchWith({ archive_order_lines: lines }), meta('lines')),
    );
    expect(summary.tables.archive_order_lines).toEqual({ rows: 2, changed: 2 });
    expect(await db('archive.order_lines').first('sku').where({ legacy_order_line_id: 900 })).toEqual({ sku: 'last' });
  });

  it('round-trips tabs, newlines, backslashes, quotes, emoji, CJK, and keeps NULL apart from the empty string', async () => {
    const texts = [
      'a\tb',
      'line1\nline2\r\nline3',
      'C:\\path\\N',
      '\\N',
      '"quoted", {braces}',
      '👩‍💻 emoji',
      '株式会社ソフトウェア',
      '',
      ' padded ',
      'NULL',
    ];
    const lines = texts.map((text, index) =>
      orderLine(1000 + index, { product_name: text, subscription_ref: index % 2 ? null : text }),
    );
    await withLoadTransaction(db, (trx) =>
      writeBatch(trx, batchWith({ archive_order_lines: lines }), meta('escaping')),
    );
    const stored = await db('archive.order_lines')
      .whereBetween('legacy_order_line_id', [1000, 1099])
      .orderBy('legacy_order_line_id')
      .select('product_name', 'subscription_ref');
    expect(stored).toEqual(
      lines.map((line) => ({ product_name: line.product_name, subscription_ref: line.subscription_ref })),
    );
    const sellers = [
      {
        id: 'SEL-TEST',
        name: 'x',
        external_id: 'x',
        country: 'XX',
        currencies: ['a,b', 'c"d', 'e\\f', 'g\th', 'NULL', ''],
        status: 'Active',
      },
    ];
    // text[] goes through the same encoder; sellers are not a batch table, so check the encoder via COPY on a scratch table.
    await withLoadTransaction(db, async (trx) => {
      const { encodeCopyLines } = await import('../../src/load/copy/copy-text');
      const { copyFromText } = await import('../../src/load/copy/copy-from-text');
      const { pgConnectionOf } = await import('../../src/load/connection/target-connection');
      const client = await pgConnectionOf(trx);
      await client.query('CREATE TEMP TABLE arrays (v text[]) ON COMMIT DROP');
      await copyFromText(
        client,
        'COPY arrays (v) FROM STDIN',
        encodeCopyLines(
          sellers.map((s) => ({ v: s.currencies })),
          [{ name: 'v', type: 'text[]' }],
        ),
      );
      const result = await client.query('SELECT v FROM arrays');
      expect(result.rows[0].v).toEqual(sellers[0]!.currencies);
    });
  });

  it('isolates a row that breaks COPY and names it, writing nothing of the batch', async () => {
    const lines = Array.from({ length: 100 }, (_, index) => orderLine(2000 + index));
    (lines[37] as unknown as { unit_price: string }).unit_price = 'twelve';
    const error = await withLoadTransaction(db, (trx) =>
      writeBatch(trx, batchWith({ archive_order_lines: lines }), meta('bad-copy')),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RejectedRowError);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error).toMatchObject({ table: 'archive.order_lines', rowIndex: 37, key: { legacy_order_line_id: 2037 } });
    expect((error as Error).message).toMatch(/invalid input syntax for type numeric/);
    expect(await db('archive.order_lines').whereBetween('legacy_order_line_id', [2000, 2099])).toEqual([]);
    expect(await readCheckpoint(db, runId, 7, 'bad-copy')).toBeUndefined();
  });

  it('isolates a row that the upsert refuses (NOT NULL, foreign key) by splitting the batch', async () => {
    const lines = Array.from({ length: 50 }, (_, index) => orderLine(3000 + index));
    (lines[44] as unknown as { legacy_order_id: null }).legacy_order_id = null;
    const error = await withLoadTransaction(db, (trx) =>
      writeBatch(trx, batchWith({ archive_order_lines: lines }), meta('bad-upsert')),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ table: 'archive.order_lines', rowIndex: 44, key: { legacy_order_line_id: 3044 } });
    expect((error as Error).message).toMatch(/null value in column "legacy_order_id"/);

    const batch = sampleBatch(10);
    batch.rows.buyers![0]!.seller_id = 'SEL-NOPE';
    const fkError = await withLoadTransaction(db, (trx) => writeBatch(trx, batch, meta('bad-fk', 1, 10))).catch(
      (e: unknown) => e,
    );
    expect(fkError).toMatchObject({ table: 'marketplace.buyers', rowIndex: 0, key: { id: 'BUY-0000-0000-0000-0010' } });
    expect((fkError as Error).message).toMatch(/foreign key/);
    expect(await db('marketplace.accounts').where({ legacy_partner_id: 10 })).toEqual([]);
  });

  it('names the later of two rows that fail only together', async () => {
    const batch = sampleBatch(11);
    const twin = { ...batch.rows.accounts![0]!, id: 'ACC-0000-0000-0000-9011', legacy_partner_id: 9011 };
    const error = await withLoadTransaction(db, (trx) =>
      writeBatch(trx, batchWith({ accounts: [batch.rows.accounts![0]!, twin] }), meta('twins', 1, 11)),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      table: 'marketplace.accounts',
      tableKey: 'accounts',
      rowIndex: 1,
      key: { id: 'ACC-0000-0000-0000-9011' },
      row: twin,
    });
    expect((error as RejectedRowError).why).toMatch(/^marketplace\.accounts refused the row: .*external_id/);
  });

  it('rejects a value that cannot be encoded, naming the row', async () => {
    const lines = [orderLine(4000), orderLine(4001, { quantity: Number.NaN })];
    const error = await withLoadTransaction(db, (trx) =>
      writeBatch(trx, batchWith({ archive_order_lines: lines }), meta('nan')),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ rowIndex: 1, key: { legacy_order_line_id: 4001 } });
  });

  it('falls back to the upsert when a batch mixes new and existing archive keys', async () => {
    await withLoadTransaction(db, (trx) =>
      writeBatch(trx, batchWith({ archive_order_lines: [orderLine(5000), orderLine(5001)] }), meta('mixed')),
    );
    const before = await db.raw(`SELECT xmin::text AS x FROM archive.order_lines WHERE legacy_order_line_id = 5000`);
    const lines = [
      orderLine(5002),
      orderLine(5000),
      orderLine(5001, { sku: 'changed', legacy_row_version: '2' }),
      orderLine(5003),
    ];
    const summary = await withLoadTransaction(db, (trx) =>
      writeBatch(trx, batchWith({ archive_order_lines: lines }), meta('mixed')),
    );
    expect(summary.tables.archive_order_lines).toEqual({ rows: 4, changed: 3 });
    const after = await db.raw(`SELECT xmin::text AS x FROM archive.order_lines WHERE legacy_order_line_id = 5000`);
    expect(after.rows).toEqual(before.rows);
    expect(
      await db('archive.order_lines')
        .whereBetween('legacy_order_line_id', [5000, 5003])
        .orderBy('legacy_order_line_id')
        .pluck('sku'),
    ).toEqual(['SKU', 'changed', 'SKU', 'SKU']);
  });

  it('names a marketplace row that cannot be encoded, and the connection stays usable', async () => {
    const batch = sampleBatch(12);
    (batch.rows.accounts![0] as unknown as { partner: object }).partner = { yes: true };
    const error = await withLoadTransaction(db, (trx) => writeBatch(trx, batch, meta('encode', 1, 12))).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ table: 'marketplace.accounts', rowIndex: 0, key: { id: 'ACC-0000-0000-0000-0012' } });
    await expect(
      withLoadTransaction(db, (trx) => writeBatch(trx, sampleBatch(12), meta('encode', 1, 12))),
    ).resolves.toBeDefined();
  });

  it('refuses an id map entry that conflicts with a stored mapping, either way', async () => {
    const write = (entries: BatchResult['idMap']) =>
      withLoadTransaction(db, (trx) => writeBatch(trx, { ...emptyBatchResult(), idMap: entries }, meta('idmap')));
    await expect(
      write([{ legacyTable: 'partner', legacyKey: '7', marketplaceId: 'ACC-0000-0000-0000-0007' }]),
    ).resolves.toBeDefined();
    await expect(
      write([{ legacyTable: 'partner', legacyKey: '7', marketplaceId: 'ACC-0000-0000-0000-7777' }]),
    ).rejects.toThrow(ContractViolationError);
    await expect(
      write([{ legacyTable: 'partner', legacyKey: '77', marketplaceId: 'ACC-0000-0000-0000-0007' }]),
    ).rejects.toThrow(/id_map conflict/);
    await expect(
      write([
        { legacyTable: 'subscription', legacyKey: 'NEW-1', marketplaceId: 'SUB-1' },
        { legacyTable: 'subscription', legacyKey: 'NEW-1', marketplaceId: 'SUB-2' },
      ]),
    ).rejects.toThrow(/id_map conflict/);
    expect(await db('migration.id_map').where({ legacy_key: 'NEW-1' })).toEqual([]);
  });

  it('finds a conflict among entries of other kinds that all go in, and lets a batch repeat its own mappings', async () => {
    const write = (entries: BatchResult['idMap']) =>
      withLoadTransaction(db, (trx) => writeBatch(trx, { ...emptyBatchResult(), idMap: entries }, meta('idmap-kinds')));
    const fresh = (from: number) =>
      Array.from({ length: 50 }, (_, i): BatchResult['idMap'][number] => ({
        legacyTable: 'subscription',
        legacyKey: `KIND-${from + i}`,
        marketplaceId: `SUB-KIND-${from + i}`,
      }));
    await write([{ legacyTable: 'user_email' as const, legacyKey: 'kinds@example.com', marketplaceId: 'USR-KIND-1' }]);
    // The same mapping again beside new entries of another kind: no conflict.
    await expect(
      write([...fresh(0), { legacyTable: 'user_email', legacyKey: 'kinds@example.com', marketplaceId: 'USR-KIND-1' }]),
    ).resolves.toBeDefined();
    // The stored key mapped to another id, while every entry of the other kind goes in.
    await expect(
      write([
        ...fresh(100),
        { legacyTable: 'user_email', legacyKey: 'kinds@example.com', marketplaceId: 'USR-KIND-2' },
      ]),
    ).rejects.toThrow(/user_email:kinds@example.com -> USR-KIND-2 conflicts/);
    // An id of one kind that went in, taken by an entry of another kind in the same batch.
    await expect(
      write([...fresh(200), { legacyTable: 'user', legacyKey: 'KIND-U', marketplaceId: 'SUB-KIND-210' }]),
    ).rejects.toThrow(/user:KIND-U -> SUB-KIND-210 conflicts with subscription:KIND-210/);
    expect(
      await db('migration.id_map').where({ legacy_table: 'subscription' }).whereLike('legacy_key', 'KIND-%').count(),
    ).toEqual([{ count: '50' }]);
  });

  it('keeps one open quarantine row per legacy key and closes it when the row loads', async () => {
    const problem = {
      entity: 'customer' as const,
      legacyKey: '5555',
      legacyPartnerId: 7,
      reason: 'duplicate_tenant' as const,
      detail: 'first',
      raw: {},
    };
    const write = (batch: BatchResult) => withLoadTransaction(db, (trx) => writeBatch(trx, batch, meta('problems')));
    await write({ ...emptyBatchResult(), quarantined: [problem, { ...problem, detail: 'second' }] });
    const [first] = await db('migration.quarantine')
      .where({ legacy_key: '5555' })
      .select('id', 'detail', 'last_seen_at');
    await write({ ...emptyBatchResult(), quarantined: [{ ...problem, detail: 'third' }] });
    const open = await db('migration.quarantine')
      .where({ legacy_key: '5555' })
      .select('id', 'detail', 'last_seen_at', 'resolved_at');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ id: first.id, detail: 'third', resolved_at: null });
    expect(open[0].last_seen_at >= first.last_seen_at).toBe(true);

    await write({
      ...emptyBatchResult(),
      idMap: [{ legacyTable: 'customer', legacyKey: '5555', marketplaceId: 'LCE-0000-0000-0000-5555' }],
    });
    expect(
      (await db('migration.quarantine').first('resolved_at').where({ legacy_key: '5555' })).resolved_at,
    ).not.toBeNull();
    await write({ ...emptyBatchResult(), quarantined: [problem] });
    expect(await db('migration.quarantine').where({ legacy_key: '5555' }).whereNull('resolved_at')).toHaveLength(1);
    expect(await db('migration.quarantine').where({ legacy_key: '5555' })).toHaveLength(2);
  });

  it('closes open problem rows among many keys of entities with none open, in both tables', async () => {
    const problem = <Reason extends string>(entity: 'user' | 'customer', legacyKey: string, reason: Reason) => ({
      entity,
      legacyKey,
      legacyPartnerId: 8,
      reason,
      detail: 'open',
      raw: {},
    });
    const write = (batch: BatchResult) =>
      withLoadTransaction(db, (trx) => writeBatch(trx, batch, meta('problems-mixed')));
    await write({
      ...emptyBatchResult(),
      quarantined: [problem('customer', '6601', 'duplicate_tenant' as const)],
      skipped: [problem('user', '6602', 'inactive_user' as const)],
    });
    const subscriptions = Array.from({ length: 200 }, (_, i) => ({
      legacyTable: 'subscription' as const,
      legacyKey: `MIXED-${i}`,
      marketplaceId: `SUB-MIXED-${i}`,
    }));
    // The customer loads beside 200 subscriptions; the user, skipped before, is quarantined now.
    await write({
      ...emptyBatchResult(),
      idMap: [
        ...subscriptions,
        { legacyTable: 'customer', legacyKey: '6601', marketplaceId: 'LCE-0000-0000-0000-6601' },
      ],
      quarantined: [problem('user', '6602', 'invalid_email' as const)],
    });
    const open = async (table: string) =>
      (await db(table).whereIn('legacy_key', ['6601', '6602']).whereNull('resolved_at').select('entity')).map(
        (row: { entity: string }) => row.entity,
      );
    expect(await open('migration.quarantine')).toEqual(['user']);
    expect(await open('migration.skipped')).toEqual([]);
  });

  it('writes a big archive batch in one go', async () => {
    const lines: ArchiveOrderLineRow[] = Array.from({ length: 20_000 }, (_, index) =>
      orderLine(100_000 + index, { product_name: `Product ${index}` }),
    );
    const invoiceLines: ArchiveInvoiceLineRow[] = Array.from({ length: 5_000 }, (_, index) => ({
      legacy_invoice_line_id: 100_000 + index,
      legacy_invoice_id: 1,
      legacy_order_id: null,
      legacy_customer_id: null,
      description: 'Line',
      quantity: '1.0000',
      unit_price: '2.0000',
      amount: '2.0000',
      tax_rate: '8.10',
      legacy_row_version: '1',
    }));
    const summary = await withLoadTransaction(db, (trx) =>
      writeBatch(trx, batchWith({ archive_order_lines: lines, archive_invoice_lines: invoiceLines }), meta('big')),
    );
    expect(summary.tables.archive_order_lines).toEqual({ rows: 20_000, changed: 20_000 });
    expect(summary.tables.archive_invoice_lines).toEqual({ rows: 5_000, changed: 5_000 });
  });
});
