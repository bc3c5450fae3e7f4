import type { Knex } from 'knex';
import { TARGET_TABLES } from '../../src/core/target-model';
import { connectTarget, migrateTarget } from '../../src/load/migrate-target';
import { freshPostgres, type TestDatabase } from '../helpers/databases';

/** SCHEMA.md, table by table: the columns it names (created_at and updated_at everywhere). */
const SCHEMA_MD: Record<string, string[]> = {
  'marketplace.sellers': ['id', 'name', 'external_id', 'country', 'currencies', 'status'],
  'marketplace.accounts': ['id', 'type', 'name', 'status', 'partner', 'external_id', 'legacy_partner_id'],
  'marketplace.buyers': [
    'id',
    'account_id',
    'seller_id',
    'name',
    'tax_id',
    'address_line1',
    'city',
    'post_code',
    'country',
    'currency',
    'contact_email',
    'status',
    'legacy_partner_id',
  ],
  'marketplace.licensees': [
    'id',
    'account_id',
    'buyer_id',
    'seller_id',
    'name',
    'resale',
    'external_id',
    'tenant_id',
    'primary_domain',
    'country',
    'city',
    'contact_email',
    'status',
    'legacy_customer_id',
  ],
  'marketplace.users': ['id', 'email', 'first_name', 'last_name', 'status'],
  'marketplace.account_users': [
    'id',
    'account_id',
    'user_id',
    'group_name',
    'invitation_status',
    'invited_at',
    'invitation_expires_at',
    'legacy_user_id',
  ],
  'marketplace.agreements': ['id', 'account_id', 'buyer_id', 'seller_id', 'licensee_id', 'sku', 'name', 'status'],
  'marketplace.subscriptions': [
    'id',
    'agreement_id',
    'external_ref',
    'sku',
    'name',
    'quantity',
    'billing_period',
    'term_months',
    'start_date',
    'commitment_date',
    'termination_date',
    'auto_renew',
    'status',
  ],
  'archive.orders': [
    'legacy_order_id',
    'order_number',
    'legacy_partner_id',
    'account_id',
    'legacy_customer_id',
    'licensee_id',
    'order_type',
    'marketplace_type',
    'status',
    'marketplace_status',
    'ordered_at',
    'currency',
    'total_amount',
    'po_number',
    'created_by',
    'deleted_at',
  ],
  'archive.order_lines': [
    'legacy_order_line_id',
    'legacy_order_id',
    'line_no',
    'sku',
    'product_name',
    'quantity',
    'unit_price',
    'line_total',
    'billing_frequency',
    'term_months',
    'subscription_ref',
    'deleted_at',
  ],
  'archive.invoices': [
    'legacy_invoice_id',
    'invoice_number',
    'legacy_partner_id',
    'account_id',
    'document_type',
    'invoice_date',
    'due_date',
    'currency',
    'net_amount',
    'tax_amount',
    'gross_amount',
    'status',
    'marketplace_status',
    'deleted_at',
  ],
  'archive.invoice_lines': [
    'legacy_invoice_line_id',
    'legacy_invoice_id',
    'legacy_order_id',
    'legacy_customer_id',
    'description',
    'quantity',
    'unit_price',
    'amount',
    'tax_rate',
    'deleted_at',
  ],
  'migration.waves': ['name', 'status', 'planned_at', 'started_at', 'finished_at'],
  'migration.wave_partners': [
    'wave_id',
    'legacy_partner_id',
    'state',
    'failure_reason',
    'planned_at',
    'notified_at',
    'loading_at',
    'loaded_at',
    'verified_at',
    'cutover_at',
    'done_at',
    'failed_at',
    'watermark',
  ],
  'migration.runs': ['id', 'kind', 'status', 'wave_id', 'started_at', 'finished_at', 'watermark', 'counts'],
  'migration.checkpoints': ['run_id', 'legacy_partner_id', 'job_key', 'cursor', 'done', 'counts'],
  'migration.watermarks': ['source_table', 'row_version'],
  'migration.id_map': ['legacy_table', 'legacy_key', 'marketplace_id'],
  'migration.quarantine': [
    'run_id',
    'entity',
    'legacy_key',
    'legacy_partner_id',
    'reason',
    'detail',
    'raw',
    'first_seen_at',
    'last_seen_at',
    'resolved_at',
  ],
  'migration.skipped': [
    'run_id',
    'entity',
    'legacy_key',
    'legacy_partner_id',
    'reason',
    'detail',
    'raw',
    'first_seen_at',
    'last_seen_at',
    'resolved_at',
  ],
  'migration.findings': ['run_id', 'entity', 'legacy_key', 'code', 'detail'],
  'migration.reconciliations': ['run_id', 'check', 'entity', 'legacy_partner_id', 'expected', 'actual', 'passed'],
  'migration.reports': ['run_id', 'body', 'sha256', 'previous_sha256'],
  'migration.outbox': ['event_key', 'kind', 'payload', 'enqueued_at', 'sent_at'],
};

/** SCHEMA.md's explicit types, as information_schema names them (archive currency is text by choice). */
const TYPED: Array<[string, string, string]> = [
  ['marketplace.sellers', 'country', 'character(2)'],
  ['marketplace.sellers', 'currencies', 'text[]'],
  ['marketplace.accounts', 'partner', 'boolean'],
  ['marketplace.accounts', 'legacy_partner_id', 'integer'],
  ['marketplace.buyers', 'currency', 'character(3)'],
  ['marketplace.licensees', 'tenant_id', 'uuid'],
  ['marketplace.licensees', 'resale', 'boolean'],
  ['marketplace.subscriptions', 'quantity', 'integer'],
  ['marketplace.subscriptions', 'start_date', 'date'],
  ['marketplace.subscriptions', 'auto_renew', 'boolean'],
  ['archive.orders', 'ordered_at', 'timestamp with time zone'],
  ['archive.orders', 'total_amount', 'numeric(19,4)'],
  ['archive.orders', 'order_date_local', 'timestamp without time zone'],
  ['archive.orders', 'legacy_row_version', 'bigint'],
  ['archive.order_lines', 'unit_price', 'numeric(19,4)'],
  ['archive.order_lines', 'quantity', 'integer'],
  ['archive.invoices', 'invoice_date', 'date'],
  ['archive.invoices', 'gross_amount', 'numeric(19,4)'],
  ['archive.invoice_lines', 'quantity', 'numeric(18,4)'],
  ['archive.invoice_lines', 'tax_rate', 'numeric(5,2)'],
  ['migration.runs', 'watermark', 'numeric(20,0)'],
  ['migration.quarantine', 'raw', 'jsonb'],
];

const TARGET_TYPE_NAMES: Record<string, string[]> = {
  text: ['text', 'character(2)', 'character(3)'],
  int: ['integer'],
  bigint: ['bigint'],
  numeric: ['numeric(19,4)', 'numeric(18,4)', 'numeric(5,2)'],
  boolean: ['boolean'],
  timestamptz: ['timestamp with time zone'],
  timestamp: ['timestamp without time zone'],
  date: ['date'],
  uuid: ['uuid'],
  'text[]': ['text[]'],
};

let database: TestDatabase;
let db: Knex;

async function columnTypes(): Promise<Map<string, string>> {
  const result = await db.raw<{ rows: Array<{ table: string; column: string; type: string }> }>(`
    SELECT n.nspname || '.' || c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname IN ('marketplace', 'archive', 'migration') AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`);
  return new Map(result.rows.map((row) => [`${row.table}.${row.column}`, row.type]));
}

/** Runs statements as `role` in a transaction that is always rolled back; returns the error message or null. */
async function asRole(role: string, sql: string, archiveWrite = false): Promise<string | null> {
  try {
    await db.transaction(async (trx) => {
      await trx.raw(`SET LOCAL ROLE ${role}`);
      if (archiveWrite) await trx.raw(`SET LOCAL ppm.archive_write = 'on'`);
      await trx.raw(sql);
      throw new Error('rollback');
    });
  } catch (error) {
    const message = (error as Error).message;
    return message === 'rollback' ? null : message;
  }
  return null;
}

beforeAll(async () => {
  database = await freshPostgres('load_migrations');
  await database.drop();
  const first = await migrateTarget(database.url);
  expect(first.createdDatabase).toBe(true);
  expect(first.applied.length).toBeGreaterThan(0);
  db = connectTarget(database.url);
  await db.raw(
    `INSERT INTO archive.orders (legacy_order_id, legacy_partner_id, order_type, status) VALUES (1, 1, 'New', 'Draft')`,
  );
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

describe('target migrations', () => {
  it('are idempotent: a second run applies nothing and keeps data', async () => {
    const second = await migrateTarget(database.url);
    expect(second).toEqual({ createdDatabase: false, applied: [] });
    const [again] = await Promise.all([migrateTarget(database.url), migrateTarget(database.url)]);
    expect(again.applied).toEqual([]);
    expect((await db('archive.orders').count<{ count: string }[]>('* as count'))[0]!.count).toBe('1');
  });

  it('create every table and column of SCHEMA.md, with created_at and updated_at', async () => {
    const types = await columnTypes();
    const missing: string[] = [];
    for (const [table, columns] of Object.entries(SCHEMA_MD)) {
      for (const column of [...columns, 'created_at', 'updated_at'])
        if (!types.has(`${table}.${column}`)) missing.push(`${table}.${column}`);
    }
    expect(missing).toEqual([]);
    for (const [table, column, type] of TYPED)
      expect(`${table}.${column} ${types.get(`${table}.${column}`)}`).toBe(`${table}.${column} ${type}`);
    expect(types.get('archive.orders.currency')).toBe('text');
  });

  it('create every column of TARGET_TABLES with a matching type', async () => {
    const types = await columnTypes();
    for (const spec of Object.values(TARGET_TABLES)) {
      for (const column of spec.columns) {
        const actual = types.get(`${spec.name}.${column.name}`);
        expect({
          column: `${spec.name}.${column.name}`,
          ok: TARGET_TYPE_NAMES[column.type]!.includes(actual ?? 'missing'),
        }).toEqual({ column: `${spec.name}.${column.name}`, ok: true });
      }
    }
  });

  it('create the three roles', async () => {
    const result = await db.raw<{ rows: Array<{ rolname: string }> }>(
      `SELECT rolname FROM pg_roles WHERE rolname IN ('ppm_loader', 'marketplace_app', 'auditor') ORDER BY 1`,
    );
    expect(result.rows.map((row) => row.rolname)).toEqual(['auditor', 'marketplace_app', 'ppm_loader']);
  });

  it('seed one seller per supported country with fixed ids', async () => {
    const sellers = await db('marketplace.sellers').select('*').orderBy('id');
    expect(sellers).toHaveLength(25);
    expect(sellers[0]).toMatchObject({
      id: 'SEL-0000-0000-0000-0001',
      country: 'AT',
      external_id: 'SWO_AT',
      name: 'SoftwareOne Austria',
      status: 'Active',
    });
    expect(sellers.find((seller) => seller.country === 'CH')).toMatchObject({
      id: 'SEL-0000-0000-0000-0006',
      external_id: 'SWO_CH',
      currencies: ['CHF', 'EUR', 'USD'],
    });
    expect(sellers[24]).toMatchObject({ id: 'SEL-0000-0000-0000-0025', country: 'ZA' });
  });

  it('compress verification details and report bodies with lz4 where the server has it, else keep the default', async () => {
    const {
      rows: [setting],
    } = await db.raw("SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'");
    const { rows } =
      await db.raw(`SELECT attrelid::regclass::text AS t, attname AS c, attcompression AS m FROM pg_attribute
      WHERE (attrelid, attname) IN (('migration.reconciliations'::regclass, 'detail'), ('migration.reports'::regclass, 'body')) ORDER BY 1`);
    const method = setting.lz4 ? 'l' : '';
    expect(rows).toEqual([
      { t: 'migration.reconciliations', c: 'detail', m: method },
      { t: 'migration.reports', c: 'body', m: method },
    ]);
  });

  it('declare the marketplace foreign keys and none in the archive', async () => {
    const result = await db.raw<{ rows: Array<{ source: string; target: string }> }>(`
      SELECT c.conrelid::regclass::text AS source, c.confrelid::regclass::text AS target FROM pg_constraint c
       WHERE c.contype = 'f' AND c.connamespace IN ('marketplace'::regnamespace, 'archive'::regnamespace) ORDER BY 1, 2`);
    const fks = result.rows.map((row) => `${row.source}->${row.target}`);
    expect(fks).toEqual(
      expect.arrayContaining([
        'marketplace.buyers->marketplace.accounts',
        'marketplace.buyers->marketplace.sellers',
        'marketplace.licensees->marketplace.accounts',
        'marketplace.licensees->marketplace.buyers',
        'marketplace.licensees->marketplace.sellers',
        'marketplace.account_users->marketplace.accounts',
        'marketplace.account_users->marketplace.users',
        'marketplace.agreements->marketplace.accounts',
        'marketplace.agreements->marketplace.buyers',
        'marketplace.agreements->marketplace.sellers',
        'marketplace.agreements->marketplace.licensees',
        'marketplace.subscriptions->marketplace.agreements',
      ]),
    );
    expect(fks.filter((fk) => fk.startsWith('archive.'))).toEqual([]);
  });
});

describe('archive write guard', () => {
  it('refuses UPDATE and DELETE by marketplace_app', async () => {
    expect(await asRole('marketplace_app', `UPDATE archive.orders SET status = 'x'`)).toMatch(/permission denied/);
    expect(await asRole('marketplace_app', 'DELETE FROM archive.orders')).toMatch(/permission denied/);
    expect(
      await asRole('marketplace_app', `INSERT INTO archive.orders (legacy_order_id, legacy_partner_id) VALUES (2, 1)`),
    ).toMatch(/permission denied/);
    expect(await asRole('marketplace_app', 'SELECT count(*) FROM archive.orders')).toBeNull();
  });

  it('refuses UPDATE, DELETE and TRUNCATE by the owner outside a load transaction', async () => {
    await expect(db.raw(`UPDATE archive.orders SET status = 'x'`)).rejects.toThrow(/read-only/);
    await expect(db.raw('DELETE FROM archive.orders')).rejects.toThrow(/read-only/);
    await expect(db.raw('TRUNCATE archive.orders')).rejects.toThrow(/read-only/);
    expect(await asRole('ppm_loader', `UPDATE archive.orders SET status = 'x'`)).toMatch(/read-only/);
  });

  it('lets ppm_loader update and delete inside a declared load transaction', async () => {
    expect(
      await asRole('ppm_loader', `UPDATE archive.orders SET status = 'x' WHERE legacy_order_id = 1`, true),
    ).toBeNull();
    expect(await asRole('ppm_loader', 'DELETE FROM archive.orders WHERE legacy_order_id = 1', true)).toBeNull();
    expect(
      await asRole('ppm_loader', `INSERT INTO archive.orders (legacy_order_id, legacy_partner_id) VALUES (2, 1)`),
    ).toBeNull();
  });

  it('resets at the end of the transaction (SET LOCAL)', async () => {
    await db.transaction(async (trx) => {
      await trx.raw(`SET LOCAL ppm.archive_write = 'on'`);
      await trx.raw(`UPDATE archive.orders SET po_number = 'PO-1' WHERE legacy_order_id = 1`);
    });
    await expect(db.raw(`UPDATE archive.orders SET po_number = 'PO-2' WHERE legacy_order_id = 1`)).rejects.toThrow(
      /read-only/,
    );
  });
});

describe('roles', () => {
  it('marketplace_app reads and writes marketplace and cannot read migration', async () => {
    expect(await asRole('marketplace_app', `UPDATE marketplace.sellers SET status = 'Active'`)).toBeNull();
    expect(await asRole('marketplace_app', 'SELECT * FROM migration.runs')).toMatch(/permission denied/);
    expect(await asRole('marketplace_app', 'SELECT * FROM migration.id_map')).toMatch(/permission denied/);
  });

  it('auditor reads archive and migration and writes nothing', async () => {
    expect(await asRole('auditor', 'SELECT count(*) FROM archive.orders, migration.runs')).toBeNull();
    expect(
      await asRole('auditor', `INSERT INTO archive.orders (legacy_order_id, legacy_partner_id) VALUES (3, 1)`),
    ).toMatch(/permission denied/);
    expect(await asRole('auditor', `UPDATE archive.orders SET status = 'x'`, true)).toMatch(/permission denied/);
    expect(await asRole('auditor', `INSERT INTO migration.waves (name) VALUES ('w')`)).toMatch(/permission denied/);
    expect(await asRole('auditor', 'SELECT * FROM marketplace.accounts')).toMatch(/permission denied/);
  });

  it('ppm_loader writes marketplace and migration', async () => {
    expect(await asRole('ppm_loader', `INSERT INTO migration.waves (name) VALUES ('w')`)).toBeNull();
    expect(await asRole('ppm_loader', `UPDATE marketplace.sellers SET status = 'Active'`)).toBeNull();
  });
});

describe('updated_at', () => {
  it('follows an UPDATE', async () => {
    const before = await db('marketplace.sellers').first('updated_at').where({ country: 'CH' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await db('marketplace.sellers').update({ name: 'SoftwareOne AG' }).where({ country: 'CH' });
    const after = await db('marketplace.sellers').first('updated_at', 'name').where({ country: 'CH' });
    expect(after.updated_at > before.updated_at).toBe(true);
    await db('marketplace.sellers').update({ name: 'SoftwareOne Switzerland' }).where({ country: 'CH' });
  });
});
