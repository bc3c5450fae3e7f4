/**
 * `npm run bench` (bench/README.md): seeds a synthetic portal of about BENCH_ROWS legacy rows,
 * runs one wave of every partner in this process with verification off, times `verify` of it
 * (verify-bench.ts), and compares the wave's throughput with a baseline measured in the same run:
 * `psql \copy` of the same rows (the archive and marketplace rows the wave wrote, exported as
 * text) into tables of the same shape (primary keys, indexes, generated columns).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadConfig, databaseOf, withDatabase } from '../src/core/config';
import { createLogger } from '../src/core/logger';
import { migrateTarget } from '../src/load';
import { seedLegacy } from '../pipelines/commands/legacy-setup';
import { openServices } from '../pipelines/services';
import { planWave } from '../pipelines/commands/wave-plan';
import { legacyRowsRead, runWave } from '../pipelines/commands/wave-run';
import { benchVerification } from './verify-bench';

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

function line(label: string, value: string): void {
  process.stdout.write(`${label.padEnd(34)} ${value}\n`);
}

async function main(): Promise<void> {
  const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
  const partners = Number(process.env.BENCH_PARTNERS ?? 200);
  const base = loadConfig();
  // Another prefix lets two benches run side by side without dropping each other's databases.
  const dbPrefix = process.env.BENCH_DB_PREFIX ?? 'ppm_bench';
  const config = loadConfig({
    ...process.env,
    LEGACY_DATABASE_URL: withDatabase(base.LEGACY_DATABASE_URL, `${dbPrefix}_legacy`),
    MARKETPLACE_DATABASE_URL: withDatabase(base.MARKETPLACE_DATABASE_URL, `${dbPrefix}_marketplace`),
    QUEUE_PREFIX: `ppm-bench-${Date.now()}`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  const pgUrl = config.MARKETPLACE_DATABASE_URL;
  const admin = new Client({ connectionString: withDatabase(pgUrl, 'postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${databaseOf(pgUrl)} WITH (FORCE)`);
  await admin.end();

  line(
    'machine',
    `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`,
  );
  let started = Date.now();
  const seeded = await seedLegacy(config, { partners, seed: 7, targetRows: rows, reset: true });
  line('seed', `${seeded.rows} legacy rows, ${partners} partners, ${((Date.now() - started) / 1000).toFixed(1)} s`);

  await migrateTarget(config.MARKETPLACE_DATABASE_URL);
  const services = await openServices(config, createLogger({ level: 'warn' }));
  let waveSeconds: number;
  let extracted: number;
  try {
    await planWave(services, 'bench', { all: true });
    started = Date.now();
    const result = await runWave(services, 'bench', {
      verify: false,
      onStart: (info) =>
        line(
          'wave planned',
          `${info.partitionJobs} partition jobs after ${((Date.now() - started) / 1000).toFixed(1)} s`,
        ),
    });
    waveSeconds = (Date.now() - started) / 1000;
    extracted = legacyRowsRead(result.counts);
    if (result.failed.length > 0) throw new Error(`bench wave had ${result.failed.length} failed partners`);
    const verification = await benchVerification(services, 'bench', waveSeconds, line);
    if (verification.found !== verification.changed) process.exitCode = 1;
  } finally {
    await services.close();
  }

  // Baseline: the rows the wave wrote, exported as text and loaded with psql \copy into tables of
  // the same shape: primary keys, indexes and generated columns (the archive's row_hash), which
  // PostgreSQL computes on this COPY as it did on the wave's.
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
  let baselineRows = 0;
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
  started = Date.now();
  for (const table of TABLES) {
    psql(
      `\\copy bench_baseline.${table.replace('.', '_')} (${columnsOf.get(table)}) FROM '${join(dir, `${table}.tsv`)}'`,
    );
  }
  const baselineSeconds = (Date.now() - started) / 1000;
  for (const table of TABLES) {
    baselineRows += Number(
      (await client.query(`SELECT count(*)::int AS n FROM bench_baseline.${table.replace('.', '_')}`)).rows[0].n,
    );
  }
  await client.query('DROP SCHEMA bench_baseline CASCADE');
  await client.end();
  rmSync(dir, { recursive: true, force: true });

  // Both sides write the same rows (baselineRows, exported from what the wave wrote), so the
  // throughput ratio is the ratio of their times; legacy rows read are shown for scale.
  const waveRate = baselineRows / waveSeconds;
  const baselineRate = baselineRows / baselineSeconds;
  line(
    'wave',
    `${extracted} legacy rows read, ${baselineRows} target rows written in ${waveSeconds.toFixed(1)} s = ` +
      `${Math.round(waveRate)} rows/s written (${Math.round(extracted / waveSeconds)} legacy rows/s)`,
  );
  line(
    'baseline psql \\copy',
    `the same ${baselineRows} rows (${(bytes / 2 ** 20).toFixed(0)} MiB) in ${baselineSeconds.toFixed(1)} s = ${Math.round(baselineRate)} rows/s`,
  );
  line('wave / baseline', `${((waveRate / baselineRate) * 100).toFixed(0)} % (target >= 30 %)`);
  line('peak RSS of this process', `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
