import type { Knex } from 'knex';
import { verifyWave } from '../../pipelines/commands/verify-wave';
import type { Report } from '../../src/verify';
import { runPpm } from '../helpers/cli';
import { asLoader, cleanWave, restoreRow, snapshotRow, type VerifiedWave } from './verify-fixture';

/**
 * Verification never crashes on what a corrupted or tampered target can hold. Column by column
 * of every table verification reads, a value is tampered (NULL where the column allows it,
 * otherwise a changed value the column's type allows: a negative number, another code, a key
 * nobody wrote, another existing row's id), verify runs, and its report must name the row's key
 * and the column; then the value is put back. Columns of one table are tampered together, each
 * in a row of another partner. Stray, missing and doubly accounted rows are tried too.
 */

let fixture: VerifiedWave;
const db = (): Knex => fixture.services.target;

beforeAll(async () => {
  fixture = await cleanWave('verify_robust', 16);
}, 180_000);

afterAll(async () => {
  await fixture?.close();
});

interface TableSpec {
  table: string;
  /** The column whose value a discrepancy names as its legacy key (or marketplace id). */
  key: string;
  /** The partner a row belongs to, as an SQL expression over the table's alias `t`. */
  partner: string | null;
}

const TABLES: TableSpec[] = [
  { table: 'marketplace.accounts', key: 'legacy_partner_id', partner: 't.legacy_partner_id' },
  { table: 'marketplace.buyers', key: 'legacy_partner_id', partner: 't.legacy_partner_id' },
  {
    table: 'marketplace.licensees',
    key: 'legacy_customer_id',
    partner: '(SELECT a.legacy_partner_id FROM marketplace.accounts a WHERE a.id = t.account_id)',
  },
  { table: 'marketplace.users', key: 'source_legacy_user_id', partner: null },
  {
    table: 'marketplace.account_users',
    key: 'legacy_user_id',
    partner: '(SELECT a.legacy_partner_id FROM marketplace.accounts a WHERE a.id = t.account_id)',
  },
  {
    table: 'marketplace.agreements',
    key: 'id',
    partner: '(SELECT a.legacy_partner_id FROM marketplace.accounts a WHERE a.id = t.account_id)',
  },
  {
    table: 'marketplace.subscriptions',
    key: 'external_ref',
    partner:
      '(SELECT a.legacy_partner_id FROM marketplace.agreements g JOIN marketplace.accounts a ON a.id = g.account_id WHERE g.id = t.agreement_id)',
  },
  { table: 'archive.orders', key: 'legacy_order_id', partner: 't.legacy_partner_id' },
  {
    table: 'archive.order_lines',
    key: 'legacy_order_line_id',
    partner: '(SELECT o.legacy_partner_id FROM archive.orders o WHERE o.legacy_order_id = t.legacy_order_id)',
  },
  { table: 'archive.invoices', key: 'legacy_invoice_id', partner: 't.legacy_partner_id' },
  {
    table: 'archive.invoice_lines',
    key: 'legacy_invoice_line_id',
    partner: '(SELECT i.legacy_partner_id FROM archive.invoices i WHERE i.legacy_invoice_id = t.legacy_invoice_id)',
  },
];

/** Columns verification does not hold against the legacy rows, with why (`*` for every table). */
const NOT_COMPARED: Record<string, string> = {
  '*.created_at': 'written by the target, not migrated',
  '*.updated_at': 'written by the target, not migrated',
  'marketplace.accounts.id': 'referenced by foreign keys: a row under a key nobody wrote is tried below',
  'marketplace.buyers.id': 'referenced by foreign keys: a row under a key nobody wrote is tried below',
  'marketplace.licensees.id': 'referenced by foreign keys: a row under a key nobody wrote is tried below',
  'marketplace.users.id': 'referenced by foreign keys: a row under a key nobody wrote is tried below',
  'marketplace.agreements.id': 'referenced by foreign keys: a row under a key nobody wrote is tried below',
  'marketplace.accounts.type': "its CHECK allows one value, 'Client'",
  'marketplace.users.source_legacy_user_id':
    'which legacy user of the partners sharing an e-mail named the user; not a value of one partner',
  'marketplace.account_users.invitation_status': 'the platform writes it after cutover (acceptance, expiry)',
  'marketplace.account_users.invited_at': 'written by the cutover, not migrated',
  'marketplace.account_users.invitation_expires_at': 'written by the cutover, not migrated',
};
const compared = (table: string, column: string) =>
  !(`*.${column}` in NOT_COMPARED) && !(`${table}.${column}` in NOT_COMPARED);

interface Column {
  name: string;
  type: string;
  nullable: boolean;
  references: string | null;
}

async function columnsOf(table: string): Promise<Column[]> {
  const { rows } = await db().raw(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
            (SELECT c.confrelid::regclass::text FROM pg_constraint c
              WHERE c.conrelid = a.attrelid AND c.contype = 'f' AND c.conkey = ARRAY[a.attnum]) AS references
       FROM pg_attribute a
      WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      ORDER BY a.attnum`,
    [table],
  );
  return (rows as Column[]).filter((column) => compared(table, column.name));
}

/** Changed values a column's type allows, tried in order until one is accepted and differs. */
function changedValues(column: Column, isNull: boolean): string[] {
  if (isNull) return [literalFor(column)];
  const c = `t.${column.name}`;
  if (column.references) {
    // Another existing row's id (a few, for a column that is part of a unique key).
    return [0, 1, 2, 3, 4, 5].map(
      (offset) => `(SELECT r.id FROM ${column.references} r WHERE r.id <> ${c} ORDER BY r.id LIMIT 1 OFFSET ${offset})`,
    );
  }
  if (/^(integer|bigint|smallint)/.test(column.type)) return [`-(${c}) - 1`, `${c} + 1000003`];
  if (/^numeric/.test(column.type)) return [`-(${c}) - 1`];
  if (column.type === 'boolean') return [`NOT ${c}`];
  if (column.type === 'date') return [`${c} + 1`];
  if (/^timestamp/.test(column.type)) return [`${c} + interval '1 hour'`];
  if (column.type === 'uuid') return [`'00000000-0000-4000-8000-000000000000'::uuid`];
  if (column.type === 'character(2)') return [`'ZZ'`];
  if (column.type === 'character(3)') return [`'ZZZ'`];
  if (column.type === 'jsonb') return [`'{"odd": [1, "x"]}'::jsonb`];
  if (column.type === 'text[]') return [`ARRAY['ZZZ']`];
  return [
    `${c} || '~'`,
    ...['Terminated', 'Active', 'Disabled', 'Deleted', 'InvitationExpired', 'CreditMemo', 'Invoice', '1y', '1m'].map(
      (value) => `CASE WHEN ${c} = '${value}' THEN NULL ELSE '${value}' END`,
    ),
  ];
}

/** A value of the column's type for a row that holds NULL in it. */
function literalFor(column: Column): string {
  if (/^(integer|bigint|smallint|numeric)/.test(column.type)) return '-7';
  if (column.type === 'boolean') return 'true';
  if (column.type === 'date') return "'2001-02-03'::date";
  if (/^timestamp/.test(column.type)) return "'2001-02-03 04:05:06'";
  if (column.type === 'uuid') return "'00000000-0000-4000-8000-000000000000'::uuid";
  if (column.type === 'character(2)') return "'ZZ'";
  if (column.type === 'character(3)') return "'ZZZ'";
  if (column.type === 'jsonb') return `'{"odd": [1, "x"]}'::jsonb`;
  return "'tampered'";
}

interface Tamper {
  table: string;
  column: string;
  key: string;
  /** The row's id (marketplace tables). */
  id: string | null;
  partnerId: number | null;
  restore: () => Promise<void>;
}

async function inLoaderTransaction<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db().transaction(async (trx) => {
    await trx.raw("SET LOCAL ppm.archive_write = 'on'");
    return work(trx);
  });
}

/** Writes `expression` into one row's column; the row as it was, or null when the target refuses every value. */
async function tamper(spec: TableSpec, column: Column, ctid: string, expressions: string[]): Promise<Tamper | null> {
  const before = (await db().raw(`SELECT to_jsonb(t) AS row FROM ${spec.table} t WHERE ctid = ?::tid`, [ctid])).rows[0]
    .row as Record<string, unknown>;
  for (const expression of expressions) {
    const changed = await inLoaderTransaction(async (trx) => {
      const { rows } = await trx.raw(
        `UPDATE ${spec.table} t SET ${column.name} = ${expression} WHERE ctid = ?::tid
          RETURNING t.ctid::text AS ctid, (to_jsonb(t) -> ?) IS DISTINCT FROM (?::jsonb -> ?) AS differs`,
        [ctid, column.name, JSON.stringify(before), column.name],
      );
      if (!rows[0]?.differs) throw new Error('unchanged');
      return rows[0].ctid as string;
    }).catch(() => null);
    if (changed === null) continue;
    return {
      table: spec.table,
      column: column.name,
      key: String(before[spec.key]),
      id: typeof before.id === 'string' ? before.id : null,
      partnerId: null,
      restore: () =>
        inLoaderTransaction(async (trx) => {
          await trx.raw(
            `UPDATE ${spec.table} t SET ${column.name} = (jsonb_populate_record(NULL::${spec.table}, ?::jsonb)).${column.name} WHERE ctid = ?::tid`,
            [JSON.stringify(before), changed],
          );
        }),
    };
  }
  return null;
}

/** Does the report name this tampered row (by legacy key or marketplace id) and its column? */
function names(report: Report, tampered: Tamper): boolean {
  const ofRow = report.discrepancies.filter(
    (d) =>
      d.legacyKey === tampered.key ||
      (tampered.id !== null && (d.marketplaceId === tampered.id || d.legacyKey === tampered.id)),
  );
  return ofRow.some(
    (d) =>
      d.kind === 'missing' ||
      d.kind === 'extra' ||
      (d.columns ?? []).some((difference) => difference.column === tampered.column) ||
      d.detail.includes(tampered.column),
  );
}

async function verifyTampered(): Promise<{ report: Report | null; error: unknown }> {
  try {
    const result = await verifyWave(fixture.services, 'w1');
    return { report: result.report, error: null };
  } catch (error) {
    return { report: null, error };
  }
}

/** Rows of distinct partners (as far as the table has them), one per column. */
async function rowsFor(spec: TableSpec, count: number): Promise<string[]> {
  const partner = spec.partner ?? 'NULL::int';
  const { rows } = await db().raw(
    `SELECT ctid::text AS ctid FROM (
       SELECT t.ctid, row_number() OVER (PARTITION BY ${partner} ORDER BY t.${spec.key}) AS n, ${partner} AS p, t.${spec.key} AS k
         FROM ${spec.table} t) x
      ORDER BY n, p, k LIMIT ?`,
    [count],
  );
  return rows.map((row: { ctid: string }) => row.ctid);
}

describe('ppm verify on a tampered target', () => {
  const GROUP = 8;
  const unnamed: string[] = [];
  const crashes: string[] = [];
  const untamperable: string[] = [];

  it('names every tampered value by key and column, never crashing', async () => {
    for (const spec of TABLES) {
      const columns = await columnsOf(spec.table);
      for (let start = 0; start < columns.length; start += GROUP) {
        const group = columns.slice(start, start + GROUP);
        const targets = await rowsFor(spec, group.length);
        const tampered: Tamper[] = [];
        try {
          for (const [index, column] of group.entries()) {
            const ctid = targets[index % targets.length]!;
            const current = (
              await db().raw(`SELECT t.${column.name} IS NULL AS null FROM ${spec.table} t WHERE ctid = ?::tid`, [ctid])
            ).rows[0];
            const expressions = column.nullable && !current.null ? ['NULL'] : changedValues(column, current.null);
            const done = await tamper(spec, column, ctid, expressions);
            if (done) tampered.push(done);
            else untamperable.push(`${spec.table}.${column.name}`);
          }
          const { report, error } = await verifyTampered();
          if (!report) {
            crashes.push(
              `${spec.table} [${tampered.map((one) => one.column).join(', ')}]: ${String((error as Error)?.stack ?? error)}`,
            );
            continue;
          }
          expect(report.verdict).toBe('fail');
          for (const one of tampered) {
            if (!names(report, one)) unnamed.push(`${one.table}.${one.column} (row ${one.key})`);
          }
        } finally {
          for (const one of tampered.reverse()) await one.restore();
        }
      }
    }
    // Every column could be tampered with a value its type allows.
    expect({ crashes, unnamed, untamperable }).toEqual({ crashes: [], unnamed: [], untamperable: [] });
    const clean = await verifyWave(fixture.services, 'w1');
    expect(clean.report.discrepancies).toEqual([]);
  }, 240_000);

  it('names rows with keys nobody wrote, missing rows and a legacy row accounted twice; exit 1 and a sealed report', async () => {
    const one = async (sql: string) => (await db().raw(sql)).rows[0] as Record<string, unknown>;
    const licensee = await one('SELECT id, legacy_customer_id FROM marketplace.licensees ORDER BY id LIMIT 1 OFFSET 3');
    const agreement = await one('SELECT id FROM marketplace.agreements ORDER BY id LIMIT 1 OFFSET 2');
    const subscription = await one(
      'SELECT id, external_ref FROM marketplace.subscriptions ORDER BY id LIMIT 1 OFFSET 4',
    );
    const order = await one('SELECT legacy_order_id AS id FROM archive.orders ORDER BY 1 LIMIT 1 OFFSET 17');
    const line = await one('SELECT legacy_order_line_id AS id FROM archive.order_lines ORDER BY 1 LIMIT 1 OFFSET 29');
    const invoice = await one('SELECT legacy_invoice_id AS id FROM archive.invoices ORDER BY 1 LIMIT 1 OFFSET 11');
    const invoiceLine = await one(
      'SELECT legacy_invoice_line_id AS id FROM archive.invoice_lines ORDER BY 1 LIMIT 1 OFFSET 23',
    );
    const stray = [
      ['marketplace.licensees', 'id = ?', [licensee.id], { id: 'LCE-9999-9999-9999-0001', legacy_customer_id: 990001 }],
      ['marketplace.agreements', 'id = ?', [agreement.id], { id: 'AGR-9999-9999-9999-0001', sku: 'STRAY-SKU' }],
      [
        'marketplace.subscriptions',
        'id = ?',
        [subscription.id],
        { id: 'SUB-9999-9999-9999-0001', external_ref: 'STRAY-REF' },
      ],
      ['archive.orders', 'legacy_order_id = ?', [order.id], { legacy_order_id: 990001 }],
      ['archive.order_lines', 'legacy_order_line_id = ?', [line.id], { legacy_order_line_id: 990001 }],
      ['archive.invoices', 'legacy_invoice_id = ?', [invoice.id], { legacy_invoice_id: 990001 }],
      ['archive.invoice_lines', 'legacy_invoice_line_id = ?', [invoiceLine.id], { legacy_invoice_line_id: 990001 }],
    ] as const;
    const expectedKeys = ['990001', 'LCE-9999-9999-9999-0001', 'AGR-9999-9999-9999-0001', 'STRAY-REF'];
    const removed: Array<[string, Record<string, unknown>]> = [];
    const addedUser = await one(
      `SELECT au.legacy_user_id AS k, a.legacy_partner_id AS p FROM marketplace.account_users au
         JOIN marketplace.accounts a ON a.id = au.account_id ORDER BY au.id LIMIT 1 OFFSET 6`,
    );
    try {
      for (const [table, where, bindings, overrides] of stray) {
        const row = await snapshotRow(db(), table, where, bindings);
        await restoreRow(db(), table, { ...row, ...overrides });
      }
      // Missing rows: a subscription, an account user, an order line, an invoice.
      const missing = [
        ['marketplace.subscriptions', 'id = ?', [subscription.id]],
        ['marketplace.account_users', 'legacy_user_id = ?', [addedUser.k]],
        ['archive.order_lines', 'legacy_order_line_id = ?', [line.id]],
        ['archive.invoices', 'legacy_invoice_id = ?', [invoice.id]],
      ] as const;
      for (const [table, where, bindings] of missing) {
        removed.push([table, await snapshotRow(db(), table, where, bindings)]);
        await asLoader(db(), `DELETE FROM ${table} WHERE ${where}`, bindings);
      }
      // A legacy row accounted twice: loaded, and skipped as well.
      await db().raw(
        `INSERT INTO migration.skipped (entity, legacy_key, legacy_partner_id, reason, detail, raw)
         VALUES ('user', ?, ?, 'inactive_user', 'tampered', '{}'::jsonb)`,
        [String(addedUser.k), addedUser.p as number],
      );
      await db().raw(
        `INSERT INTO migration.skipped (entity, legacy_key, legacy_partner_id, reason, detail, raw)
         VALUES ('customer', ?, (SELECT a.legacy_partner_id FROM marketplace.licensees l JOIN marketplace.accounts a ON a.id = l.account_id WHERE l.id = ?), 'soft_deleted', 'tampered', '{}'::jsonb)`,
        [String(licensee.legacy_customer_id), licensee.id as string],
      );

      const result = await runPpm(['verify', 'w1'], fixture.env);
      expect(result.code).toBe(1);
      const runId = /verify run (\d+)/.exec(result.stdout)![1];
      const sealed = await db()('migration.reports').first('sha256', 'body').where({ run_id: runId });
      expect(sealed.sha256).toMatch(/^[0-9a-f]{64}$/);
      const report = sealed.body as Report;
      expect(report.verdict).toBe('fail');
      const keys = new Set(report.discrepancies.flatMap((d) => [d.legacyKey, d.marketplaceId ?? null]));
      const expected = [
        ...expectedKeys,
        String(subscription.external_ref),
        String(addedUser.k),
        String(line.id),
        String(invoice.id),
        String(licensee.legacy_customer_id),
      ];
      expect(expected.filter((key) => !keys.has(key))).toEqual([]);
    } finally {
      await db().raw("DELETE FROM migration.skipped WHERE detail = 'tampered'");
      for (const [table, row] of removed.reverse()) await restoreRow(db(), table, row);
      for (const [table, , , overrides] of [...stray].reverse()) {
        const [column, value] = Object.entries(overrides)[0]!;
        await asLoader(db(), `DELETE FROM ${table} WHERE ${column} = ?`, [value]);
      }
    }
    const clean = await verifyWave(fixture.services, 'w1');
    expect(clean.report.discrepancies).toEqual([]);
  }, 120_000);
});
