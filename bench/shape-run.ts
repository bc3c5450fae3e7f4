/**
 * One shape of `npm run bench`, in a process of its own (spawned by wave-bench.ts), in two steps:
 *
 * - `seed`: seeds the shape's legacy database (a process of its own so that the generator's
 *   memory is not the wave's peak RSS);
 * - `run`: recreates the marketplace database, measures how the rows spread over the partners,
 *   runs one wave of every partner as `ppm wave run` does (verification on), records every
 *   progress sample's ETA, then (wide shape by default) `verify` clean and tampered, the
 *   `psql \copy` baseline, and pgloader over the same seven legacy tables.
 *
 * Each step prints its lines as it goes and, last, one line `BENCH_RESULT <json>` for the driver.
 */
import { cpus } from 'node:os';
import { Client } from 'pg';
import { databaseOf, legacyEngineOf, withDatabase } from '../src/core/config';
import { createLogger } from '../src/core/logger';
import { migrateTarget } from '../src/load';
import mysql from 'mysql2/promise';
import { seedLegacy } from '../pipelines/commands/legacy-setup';
import { openServices } from '../pipelines/services';
import { planWave } from '../pipelines/commands/wave-plan';
import { legacyRowsRead, runWave } from '../pipelines/commands/wave-run';
import { benchVerification, type VerifyBenchResult } from './verify-bench';
import { benchSync, type SyncBenchResult } from './sync-bench';
import { copyBaseline, type CopyBaselineResult } from './copy-baseline';
import { cpuBetween, describeCpu, sampleCpu, type CpuUsage } from './cpu-usage';
import { etaError, type EtaErrorSummary, type EtaSampleRecord } from './eta-error';
import { runPgloader, type PgloaderResult } from './pgloader-peer';
import { portalShape, LEGACY_TABLE_OF, type PortalShape } from './portal-shape';
import { configOf, databasesOf, type Shape } from './shapes';

export const RESULT_MARK = 'BENCH_RESULT ';

export interface SeedStepResult {
  step: 'seed';
  shape: string;
  rows: number;
  seconds: number;
  peakRssMiB: number;
}

export interface RunStepResult {
  step: 'run';
  shape: string;
  portal: PortalShape;
  servers: { postgres: string; legacy: string };
  wave: {
    seconds: number;
    legacyRowsRead: number;
    partitionJobs: number;
    failed: number;
    /** The first few failures, `partner <id>: <reason>`. */
    failures: string[];
  };
  /** The ETA's error, and every progress sample (for the JSON of BENCH_JSON_OUT). */
  eta: EtaErrorSummary & { progressSamples: number; records: EtaSampleRecord[] };
  verify?: VerifyBenchResult;
  sync?: SyncBenchResult;
  copy: CopyBaselineResult;
  pgloader: PgloaderResult | { skipped: string };
  /** Peak RSS of this process when the wave had returned (the target's measure), and at the end. */
  rssAfterWaveMiB: number;
  /** CPU seconds per process kind during the wave (bench/cpu-usage.ts). */
  waveCpu: CpuUsage;
  peakRssMiB: number;
}

const maxRssMiB = () => process.resourceUsage().maxRSS / 1024;

export function makeLine(shape: Shape): (label: string, value: string) => void {
  return (label, value) => process.stdout.write(`${`[${shape.name}]`.padEnd(11)}${label.padEnd(32)} ${value}\n`);
}

export async function seedStep(shape: Shape): Promise<SeedStepResult> {
  const config = configOf(shape);
  const line = makeLine(shape);
  // The bench's own database, dropped whole: a reset refuses a portal it did not mark as ppm's
  // (one seeded before the marker existed), and this one is the bench's by its name.
  if (legacyEngineOf(config.LEGACY_DATABASE_URL) === 'mariadb') {
    const server = await mysql.createConnection(withDatabase(config.LEGACY_DATABASE_URL, 'mysql'));
    try {
      await server.query(`DROP DATABASE IF EXISTS \`${databasesOf(shape).legacy}\``);
    } finally {
      await server.end();
    }
  }
  const started = Date.now();
  const seeded = await seedLegacy(config, {
    partners: shape.partners,
    seed: shape.seed,
    targetRows: shape.rows,
    reset: true,
  });
  const seconds = (Date.now() - started) / 1000;
  line(
    'seed',
    `${seeded.rows} legacy rows, ${shape.partners} partners into ${databasesOf(shape).legacy} in ${seconds.toFixed(1)} s`,
  );
  return { step: 'seed', shape: shape.name, rows: seeded.rows, seconds, peakRssMiB: maxRssMiB() };
}

async function serverVersions(pgUrl: string, legacyUrl: string) {
  const client = new Client({ connectionString: pgUrl });
  await client.connect();
  const postgres = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v;
  await client.end();
  let legacy = legacyEngineOf(legacyUrl) as string;
  if (legacy === 'mariadb') {
    // The reader keeps its driver to itself; mysql2 is this package's dependency anyway.
    const mysql = await import('mysql2/promise');
    const connection = await mysql.createConnection(legacyUrl);
    const [rows] = await connection.query('SELECT VERSION() AS v');
    legacy = `MariaDB ${(rows as { v: string }[])[0].v}`;
    await connection.end();
  }
  return { postgres: `PostgreSQL ${postgres}`, legacy };
}

function shouldVerify(shape: Shape): boolean {
  const names = (process.env.BENCH_VERIFY_SHAPES ?? 'wide').split(',').map((name) => name.trim());
  return names.includes(shape.name);
}

export async function runStep(shape: Shape): Promise<{ result: RunStepResult; exitCode: number }> {
  const config = configOf(shape);
  const line = makeLine(shape);
  let exitCode = 0;
  const pgUrl = config.MARKETPLACE_DATABASE_URL;
  const admin = new Client({ connectionString: withDatabase(pgUrl, 'postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${databaseOf(pgUrl)} WITH (FORCE)`);
  await admin.end();
  await migrateTarget(pgUrl);

  const services = await openServices(config, createLogger({ level: 'warn' }));
  let portal: PortalShape;
  let servers: RunStepResult['servers'];
  let wave: RunStepResult['wave'];
  let eta: RunStepResult['eta'];
  let verify: VerifyBenchResult | undefined;
  let sync: SyncBenchResult | undefined;
  let rssAfterWaveMiB: number;
  let waveCpu: CpuUsage;
  try {
    servers = await serverVersions(pgUrl, config.LEGACY_DATABASE_URL);
    const watermark = await services.source.watermark();
    const partnerIds = await services.source.listPartnerIds();
    portal = portalShape(await services.source.countRowsByPartner(partnerIds, watermark));
    line(
      'portal',
      `${portal.rows} legacy rows, ${portal.partners} partners; rows per partner: median ${Math.round(portal.medianPartnerRows)}, ` +
        `90th percentile ${portal.p90PartnerRows}, max ${portal.maxPartnerRows} (${(portal.largestShare * 100).toFixed(0)} % of all); ` +
        `${portal.smallPartners} partners (${((portal.smallPartners / Math.max(1, portal.partners)) * 100).toFixed(0)} %) under 300 rows`,
    );

    await planWave(services, 'bench', { all: true });
    const samples: EtaSampleRecord[] = [];
    let partitionJobs = 0;
    let lastShown = 0;
    const started = Date.now();
    const cpuBefore = sampleCpu();
    // The wave as `ppm wave run` runs it, verification on; the cutover's messages are benched
    // apart (bench/notify-bench.ts), as their speed is the mail relay's.
    const result = await runWave(services, 'bench', {
      cutover: false,
      onStart: (info) => {
        partitionJobs = info.partitionJobs;
        line(
          'wave planned',
          `${info.partners} partners, ${info.expectedRows} legacy rows, ${info.partitionJobs} load jobs (${info.batchJobs} batches of small partners) after ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
      },
      onProgress: (progress) => {
        const elapsedMs = Date.now() - started;
        samples.push({
          elapsedMs,
          rows: progress.rows,
          rowsTotal: progress.rowsTotal,
          partnersDone: progress.partnersDone,
          etaMs: progress.etaMs,
        });
        // A sign of life on a terminal; the samples are the measure.
        if (process.stderr.isTTY && elapsedMs - lastShown >= 15_000) {
          lastShown = elapsedMs;
          process.stderr.write(
            `[${shape.name}] ${(elapsedMs / 1000).toFixed(0)} s: ${progress.rows}/${progress.rowsTotal} rows, ` +
              `${progress.partnersDone}/${progress.partnersTotal} partners, ETA ${progress.etaMs === undefined ? '-' : `${(progress.etaMs / 1000).toFixed(0)} s`}\n`,
          );
        }
      },
    });
    const waveMs = Date.now() - started;
    waveCpu = cpuBetween(cpuBefore, sampleCpu(), cpus().length);
    rssAfterWaveMiB = maxRssMiB();
    const legacyRows = legacyRowsRead(result.counts);
    wave = {
      seconds: waveMs / 1000,
      legacyRowsRead: legacyRows,
      partitionJobs,
      failed: result.failed.length,
      failures: result.failed.slice(0, 5).map((f) => `partner ${f.partnerId}: ${f.reason ?? 'unknown reason'}`),
    };
    eta = { ...etaError(samples, waveMs), progressSamples: samples.length, records: samples };
    line(
      'wave (verification on)',
      `${legacyRows} legacy rows read, ${result.partners - result.failed.length} of ${result.partners} partners verified in ` +
        `${wave.seconds.toFixed(1)} s = ${Math.round(legacyRows / wave.seconds)} legacy rows/s; peak RSS ${rssAfterWaveMiB.toFixed(0)} MiB`,
    );
    line('CPU during the wave', describeCpu(waveCpu));
    const worst = samples.find((sample) => sample.elapsedMs === eta.worstAtMs);
    line(
      'ETA, 20-90 % of the wave',
      worst?.etaMs === undefined || eta.worstError === undefined || eta.medianError === undefined
        ? `no ETA in the ${eta.samples} samples of the window (${samples.length} in all)`
        : `${eta.samples} samples: median error ${(eta.medianError * 100).toFixed(0)} %, worst ` +
            `${eta.worstError >= 0 ? '+' : ''}${(eta.worstError * 100).toFixed(0)} % at ${(worst.elapsedMs / 1000).toFixed(1)} s ` +
            `(ETA ${(worst.etaMs / 1000).toFixed(1)} s, ${((waveMs - worst.elapsedMs) / 1000).toFixed(1)} s were left)` +
            `${eta.withoutEta > 0 ? `; ${eta.withoutEta} of them without an ETA` : ''}`,
    );
    if (result.failed.length > 0) {
      exitCode = 1;
      for (const failure of wave.failures) line('FAILED', failure);
    }
    if (legacyRows !== portal.rows)
      line('note', `the wave read ${legacyRows} legacy rows of the ${portal.rows} counted`);
    if (shouldVerify(shape)) {
      verify = await benchVerification(services, 'bench', wave.seconds, line);
      if (verify.found !== verify.changed) exitCode = 1;
    }
    // The legacy rows it changes stay changed (row counts do not move): the baselines after it read the same rows.
    if (process.env.BENCH_SYNC !== '0') {
      sync = await benchSync(services, wave.seconds, line);
      if (!sync.passed) exitCode = 1;
    }
  } finally {
    await services.close();
  }

  const copy = await copyBaseline(pgUrl);
  line(
    'baseline psql \\copy',
    `the ${copy.rows} target rows the wave wrote (${(copy.bytes / 2 ** 20).toFixed(0)} MiB) in ${copy.seconds.toFixed(1)} s`,
  );

  let pgloader: RunStepResult['pgloader'];
  if (legacyEngineOf(config.LEGACY_DATABASE_URL) !== 'mariadb') {
    pgloader = { skipped: 'the legacy database is not MariaDB' };
  } else {
    const expected = Object.fromEntries(Object.values(LEGACY_TABLE_OF).map((table) => [table, portal.perTable[table]]));
    pgloader = await runPgloader({
      legacyUrl: config.LEGACY_DATABASE_URL,
      postgresUrl: pgUrl,
      database: databasesOf(shape).pgloader,
      expected,
    });
    line(
      'pgloader',
      `${Object.values(pgloader.counted).reduce((a, b) => a + b, 0)} rows of the 7 legacy tables in ${pgloader.seconds.toFixed(1)} s; ` +
        `counts ${pgloader.matches ? 'match the legacy tables' : `DIFFER: ${pgloader.mismatches.join('; ')}`}`,
    );
  }

  return {
    exitCode,
    result: {
      step: 'run',
      shape: shape.name,
      portal,
      servers,
      wave,
      eta,
      verify,
      sync,
      copy,
      pgloader,
      rssAfterWaveMiB,
      waveCpu,
      peakRssMiB: maxRssMiB(),
    },
  };
}
