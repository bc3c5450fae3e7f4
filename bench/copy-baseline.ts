/**
 * The `psql \copy` baseline: the rows the wave wrote, exported as text and loaded with psql \copy
 * into tables of the same shape: primary keys, indexes and generated columns (the archive's
 * row_hash), which PostgreSQL computes on this COPY as it did on the wave's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { databaseOf } from '../src/core/config';

const TABLES = [
  'marketplace.accounts',
  'marketplace.buyers',
  'marketplace.users',
  'marketplace.account_users',
  'marketplace.licensees',
  'marketplace.agreements',
  'marketplace.subscriptions',
  'archive.orders',
  'archive.order_lines',
  'archive.invoices',
  'archive.invoice_lines',
];

export interface CopyBaselineResult {
  /** Target rows the wave wrote, loaded again by \copy. */
  rows: number;
  bytes: number;
  seconds: number;
}

export async function copyBaseline(pgUrl: string): Promise<CopyBaselineResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ppm-bench-'));
  const db = databaseOf(pgUrl);
  // Notices ("table ... does not exist, skipping") are not the bench's output.
  const psql = (command: string) =>
    execFileSync(
      'psql',
      ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-U', 'postgres', '-d', db, '-c', command],
      {
        env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
      },
    );
  const client = new Client({ connectionString: pgUrl });
  await client.connect();
  try {
    const writtenColumns = async (table: string) =>
      (
        await client.query<{ name: string }>(
          `SELECT quote_ident(attname) AS name
         FROM pg_attribute
        WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
        ORDER BY attnum`,
          [table],
        )
      ).rows
        .map((row) => row.name)
        .join(', ');
    let rows = 0;
    let bytes = 0;
    psql('CREATE SCHEMA IF NOT EXISTS bench_baseline');
    const columnsOf = new Map<string, string>();
    for (const table of TABLES) {
      const file = join(dir, `${table}.tsv`);
      const copy = `bench_baseline.${table.replace('.', '_')}`;
      columnsOf.set(table, await writtenColumns(table));
      psql(`\\copy (SELECT ${columnsOf.get(table)} FROM ${table}) TO '${file}'`);
      bytes += statSync(file).size;
      psql(`DROP TABLE IF EXISTS ${copy};
        CREATE TABLE ${copy} (LIKE ${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES INCLUDING GENERATED)`);
    }
    const started = Date.now();
    for (const table of TABLES) {
      psql(
        `\\copy bench_baseline.${table.replace('.', '_')} (${columnsOf.get(table)}) FROM '${join(dir, `${table}.tsv`)}'`,
      );
    }
    const seconds = (Date.now() - started) / 1000;
    for (const table of TABLES) {
      rows += Number(
        (await client.query(`SELECT count(*)::int AS n FROM bench_baseline.${table.replace('.', '_')}`)).rows[0].n,
      );
    }
    await client.query('DROP SCHEMA bench_baseline CASCADE');
    return { rows, bytes, seconds };
  } finally {
    await client.end();
    rmSync(dir, { recursive: true, force: true });
  }
}
