/**
 * The console bench (`npm run bench:console`): a wave of 4,000 partners migrated and cut over
 * (effects recorded), one report of it failing, then every page of the console timed as a
 * browser asks for it, from `ppm serve` as a user starts it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { databaseOf, loadConfig, withDatabase, type Config } from '../src/core/config';
import { createLogger } from '../src/core/logger';
import { findWave, migrateTarget } from '../src/load';
import { seedLegacy } from '../pipelines/commands/legacy-setup';
import { verifyWave } from '../pipelines/commands/verify-wave';
import { cutoverWave } from '../pipelines/commands/wave-cutover';
import { planWave } from '../pipelines/commands/wave-plan';
import { runWave } from '../pipelines/commands/wave-run';
import { openServices, type Services } from '../pipelines/services';
import { dbPrefix } from './shapes';

const WAVE = 'bench';

function positive(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer: ${text}`);
  return value;
}

const line = (label: string, value: string) => process.stdout.write(`${label.padEnd(44)} ${value}\n`);

async function recreateDatabases(config: Config): Promise<void> {
  const admin = new Client({ connectionString: withDatabase(config.MARKETPLACE_DATABASE_URL, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${databaseOf(config.MARKETPLACE_DATABASE_URL)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  const server = await mysql.createConnection(withDatabase(config.LEGACY_DATABASE_URL, ''));
  try {
    await server.query(`DROP DATABASE IF EXISTS \`${databaseOf(config.LEGACY_DATABASE_URL)}\``);
    await server.query(
      `CREATE DATABASE \`${databaseOf(config.LEGACY_DATABASE_URL)}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await server.end();
  }
}

/** Seeds the portal, runs the wave (verification on), records the cutover's effects, and seals a failing report. */
async function prepare(config: Config, partners: number, rows: number): Promise<void> {
  await recreateDatabases(config);
  let started = Date.now();
  await seedLegacy(config, { partners, seed: 7, targetRows: rows });
  line('seed', `${partners} partners, about ${rows} legacy rows, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await migrateTarget(config.MARKETPLACE_DATABASE_URL);
  const services = await openServices(config, createLogger({ level: 'warn' }));
  try {
    await planWave(services, WAVE, { all: true });
    started = Date.now();
    const run = await runWave(services, WAVE, { cutover: false });
    line('wave (load and verification)', `${run.partners} partners in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // The cutover's effects recorded in the outbox (not sent): what the effects and invitations read.
    const cutover = await cutoverWave(services, WAVE);
    line('cutover recorded', `${cutover.cutover} partners`);
    await tamperAndVerify(services);
  } finally {
    await services.close();
  }
}

async function tamperAndVerify(services: Services): Promise<void> {
  await services.target.transaction(async (trx) => {
    await trx.raw("SET LOCAL ppm.archive_write = 'on'");
    await trx.raw(
      `UPDATE archive.orders SET total_amount = total_amount + 1
        WHERE legacy_order_id IN (SELECT legacy_order_id FROM archive.orders ORDER BY md5(legacy_order_id::text) LIMIT 10)`,
    );
  });
  const started = Date.now();
  const result = await verifyWave(services, WAVE);
  line(
    'verify with 10 orders changed',
    `${result.report.totals.discrepancies} discrepancies, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

/** `ppm serve` on a free port, as a user starts it. */
async function serve(env: NodeJS.ProcessEnv): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [join(__dirname, '..', '..', 'bin', 'ppm.js'), 'serve', '--port', '0'], {
    env: { ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const found = /console at (http:\/\/\S+)/.exec(out);
      if (found) resolve(found[1]!);
    });
    void exited.then(() => reject(new Error('ppm serve ended before it listened')));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function timed(url: string): Promise<{ ms: number; bytes: number; status: number }> {
  const started = process.hrtime.bigint();
  const response = await fetch(url, { redirect: 'manual' });
  const body = await response.arrayBuffer();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, bytes: body.byteLength, status: response.status };
}

async function main(): Promise<void> {
  const partners = positive('BENCH_CONSOLE_PARTNERS', 4000);
  const rows = positive('BENCH_CONSOLE_ROWS', 400_000);
  const repeats = positive('BENCH_CONSOLE_REPEATS', 10);
  const base = loadConfig();
  const env = {
    ...process.env,
    LEGACY_DATABASE_URL: withDatabase(base.LEGACY_DATABASE_URL, `${dbPrefix()}_console_legacy`),
    MARKETPLACE_DATABASE_URL: withDatabase(base.MARKETPLACE_DATABASE_URL, `${dbPrefix()}_console_marketplace`),
    QUEUE_PREFIX: `ppm-bench-console-${Date.now()}`,
    MAIL_OUTBOX_DIR: process.env.MAIL_OUTBOX_DIR ?? join(__dirname, '..', '..', '.scratch', 'bench-console-mail'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  const config = loadConfig(env);
  const reuse = process.env.BENCH_CONSOLE_REUSE === '1';
  let ready = false;
  if (reuse) {
    const services = await openServices(config, createLogger({ level: 'warn' })).catch(() => undefined);
    ready = services !== undefined && (await findWave(services.target, WAVE).catch(() => undefined)) !== undefined;
    await services?.close();
  }
  if (!ready) await prepare(config, partners, rows);
  else line('reused', `the wave "${WAVE}" of ${databaseOf(config.MARKETPLACE_DATABASE_URL)}`);

  const services = await openServices(config, createLogger({ level: 'warn' }));
  let pages: Array<[string, string]>;
  try {
    const pick = async (sql: string) => String((await services.target.raw(sql)).rows[0].v);
    const biggest = await pick(
      `SELECT legacy_partner_id AS v FROM archive.orders GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
    );
    const quarantined = await pick(
      `SELECT legacy_partner_id AS v FROM migration.quarantine WHERE legacy_partner_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
    );
    const entity = await pick(`SELECT entity AS v FROM migration.quarantine GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
    const report = await pick(`SELECT max(id) AS v FROM migration.reports`);
    const first = await pick(`SELECT min(id) AS v FROM migration.reports`);
    const counts = await services.target.raw(
      `SELECT (SELECT count(*) FROM migration.wave_partners) AS partners, (SELECT count(*) FROM migration.quarantine) AS quarantine,
              (SELECT count(*) FROM migration.outbox) AS outbox, (SELECT count(*) FROM migration.invitations) AS invitations,
              (SELECT pg_column_size(body) FROM migration.reports ORDER BY id DESC LIMIT 1) AS report_bytes,
              (SELECT count(*) FROM migration.reconciliations) AS reconciliations`,
    );
    const c = counts.rows[0];
    line(
      'the target',
      `${c.partners} partners, ${c.quarantine} quarantined rows, ${c.outbox} effects, ${c.invitations} invitations, ` +
        `${c.reconciliations} check results, latest report ${Math.round(c.report_bytes / 1024)} KiB stored`,
    );
    pages = [
      ['waves', '/waves'],
      ['wave (first page of partners)', `/waves/${WAVE}`],
      ['wave, page 20 of partners', `/waves/${WAVE}?page=20`],
      ['wave, partners in state failed', `/waves/${WAVE}?state=failed`],
      ['partner, the biggest', `/partners/${biggest}`],
      ['partner, the most quarantined', `/partners/${quarantined}`],
      ['reports (chain checked)', '/reports'],
      ['report, failing, 4,000 partners', `/reports/${report}`],
      ["report, the wave run's (not read before)", `/reports/${first}`],
      ['quarantine, unfiltered', '/quarantine'],
      ['quarantine, by wave and entity, page 3', `/quarantine?wave=${WAVE}&entity=${entity}&page=3`],
      ['quarantine CSV export, all rows', '/quarantine.csv'],
      ['queues (Bull Board data)', '/queues/api/queues?activeQueue=notifications&page=1&jobsPerPage=10'],
    ];
  } finally {
    await services.close();
  }

  const server = await serve(env);
  const results: Array<{ label: string; first: number; median: number; max: number; bytes: number }> = [];
  try {
    for (const [label, path] of pages) {
      const first = await timed(`${server.url}${path}`);
      if (first.status !== 200) throw new Error(`${path} answered ${first.status}`);
      const times: number[] = [];
      for (let i = 0; i < repeats; i++) times.push((await timed(`${server.url}${path}`)).ms);
      times.sort((a, b) => a - b);
      results.push({
        label,
        first: first.ms,
        median: times[Math.floor(times.length / 2)]!,
        max: times[times.length - 1]!,
        bytes: first.bytes,
      });
    }
  } finally {
    await server.stop();
  }
  process.stdout.write(
    `\n${'page'.padEnd(44)} ${'first'.padStart(8)} ${'median'.padStart(8)} ${'max'.padStart(8)} ${'size'.padStart(9)}\n`,
  );
  for (const r of results)
    process.stdout.write(
      `${r.label.padEnd(44)} ${`${r.first.toFixed(0)} ms`.padStart(8)} ${`${r.median.toFixed(0)} ms`.padStart(8)} ${`${r.max.toFixed(0)} ms`.padStart(8)} ${`${Math.round(r.bytes / 1024)} KiB`.padStart(9)}\n`,
    );
  const pagesOnly = results.filter((r) => !r.label.includes('CSV'));
  const worst = Math.max(...pagesOnly.map((r) => r.max));
  const worstFirst = Math.max(...pagesOnly.map((r) => r.first));
  process.stdout.write(
    `\nslowest page: ${worst.toFixed(0)} ms warm, ${worstFirst.toFixed(0)} ms on its first load (target under 1000 ms): ${
      Math.max(worst, worstFirst) < 1000 ? 'OK' : 'MISSED'
    }\n`,
  );
  if (Math.max(worst, worstFirst) >= 1000) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
