import { Client } from 'pg';

/** What a wave writes, compared row for row; timestamps of the write itself and run ids are left out. */
const FINGERPRINTED: Record<string, string> = {
  'marketplace.accounts': 'id',
  'marketplace.buyers': 'id',
  'marketplace.users': 'id',
  'marketplace.account_users': 'id',
  'marketplace.licensees': 'id',
  'marketplace.agreements': 'id',
  'marketplace.subscriptions': 'id',
  'archive.orders': 'legacy_order_id',
  'archive.order_lines': 'legacy_order_line_id',
  'archive.invoices': 'legacy_invoice_id',
  'archive.invoice_lines': 'legacy_invoice_line_id',
};
const VOLATILE = new Set(['created_at', 'updated_at', 'run_id', 'first_seen_at', 'last_seen_at', 'id']);

export interface TargetFingerprint {
  /** md5 of every row of each table, in key order. */
  tables: Record<string, { rows: number; md5: string }>;
  idMap: { rows: number; md5: string };
  quarantine: { rows: number; md5: string };
  skipped: { rows: number; md5: string };
  findings: { rows: number; md5: string };
}

async function digest(
  client: Client,
  from: string,
  columns: string,
  order: string,
): Promise<{ rows: number; md5: string }> {
  const { rows } = await client.query(
    `SELECT count(*)::int AS rows, coalesce(md5(string_agg(r, E'\\n' ORDER BY k)), '') AS md5
       FROM (SELECT ${order} AS k, (${columns})::text AS r FROM ${from}) t`,
  );
  return { rows: rows[0].rows, md5: rows[0].md5 };
}

async function columnsOf(client: Client, table: string, keep: (column: string) => boolean): Promise<string> {
  const [schema, name] = table.split('.');
  const { rows } = await client.query(
    'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
    [schema, name],
  );
  return `row(${rows
    .map((row) => row.column_name as string)
    .filter(keep)
    .map((c) => `"${c}"`)
    .join(', ')})`;
}

/** A fingerprint of the target: two runs that wrote the same rows and ids have equal fingerprints. */
export async function targetFingerprint(url: string): Promise<TargetFingerprint> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables: TargetFingerprint['tables'] = {};
    for (const [table, key] of Object.entries(FINGERPRINTED)) {
      const columns = await columnsOf(client, table, (c) => c === key || !VOLATILE.has(c));
      tables[table] = await digest(client, table, columns, `${key}::text`);
    }
    const problemColumns = 'row(entity, legacy_key, legacy_partner_id, reason, detail, raw::text)';
    return {
      tables,
      idMap: await digest(
        client,
        'migration.id_map',
        'row(legacy_table, legacy_key, marketplace_id)',
        "legacy_table || ':' || legacy_key",
      ),
      quarantine: await digest(client, 'migration.quarantine', problemColumns, "entity || ':' || legacy_key"),
      skipped: await digest(client, 'migration.skipped', problemColumns, "entity || ':' || legacy_key"),
      findings: await digest(
        client,
        'migration.findings',
        'row(entity, legacy_key, code, detail)',
        "entity || ':' || legacy_key || ':' || code || ':' || detail",
      ),
    };
  } finally {
    await client.end();
  }
}
