import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { announceWave } from '../../pipelines/commands/wave-announce';
import { describeCutover } from './cutover-summary';
import { databaseOf, type Config } from '../core/config';
import { createLogger } from '../core/logger';
import { redactUrl } from '../core/redact';
import { findWave, migrateTarget } from '../load';
import { seedLegacy } from '../../pipelines/commands/legacy-setup';
import { openServices } from '../../pipelines/services';
import { planWave } from '../../pipelines/commands/wave-plan';
import { runWave } from '../../pipelines/commands/wave-run';
import { describeMigration } from './migration-message';
import { createProgress } from './progress';
import { renderWaveSummary } from './wave-summary';

export interface DemoOptions {
  partners: number;
  reset?: boolean;
  write: (line: string) => void;
}

export const DEMO_WAVE = 'demo';
export const DEMO_SEED = 1;

/** Where `ppm serve` listens by default (loopback, port 8080). */
export const DEMO_CONSOLE_URL = 'http://127.0.0.1:8080';

/**
 * The findings of the demo wave's latest wave run: every run records its own findings, and a
 * run reads every partner of the wave, so the latest one holds the current findings.
 */
export const DEMO_FINDINGS_QUERY = `
  select entity, code, count(*) from migration.findings
   where run_id = (select max(r.id) from migration.runs r join migration.waves w on w.id = r.wave_id
                    where w.name = '${DEMO_WAVE}' and r.kind = 'wave')
   group by 1, 2 order by 1, 2`
  .replace(/\s+/g, ' ')
  .trim();

/** Migrates the target, seeds a synthetic portal, plans and runs one wave of every partner. */
export async function runDemo(config: Config, options: DemoOptions): Promise<number> {
  const { write } = options;
  write(`legacy database:      ${redactUrl(config.LEGACY_DATABASE_URL)}`);
  write(`marketplace database: ${redactUrl(config.MARKETPLACE_DATABASE_URL)}`);
  const db = databaseOf(config.MARKETPLACE_DATABASE_URL);
  write(`1/3 ${describeMigration(await migrateTarget(config.MARKETPLACE_DATABASE_URL), db)}`);

  const seedProgress = createProgress('seed', 'rows');
  const seeded = await seedLegacy(config, { partners: options.partners, seed: DEMO_SEED, reset: options.reset }, (p) =>
    seedProgress.update({ value: p.rows, total: p.rowsTotal }),
  ).finally(() => seedProgress.stop());
  write(`2/3 seeded ${seeded.rows} legacy rows for ${options.partners} partners`);

  const services = await openServices(config, createLogger());
  try {
    if (!(await findWave(services.target, DEMO_WAVE))) await planWave(services, DEMO_WAVE, { all: true });
    // The partners hear of the migration first: portal banner and a notice to each active user.
    const announced = await announceWave(services, DEMO_WAVE);
    const progress = createProgress(`wave ${DEMO_WAVE}`, 'rows');
    const result = await runWave(services, DEMO_WAVE, {
      onProgress: (p) =>
        progress.update({
          value: p.rows,
          total: p.rowsTotal,
          etaMs: p.etaMs,
          fields: { partners: `${p.partnersDone}/${p.partnersTotal}` },
        }),
    }).finally(() => progress.stop());
    write(`3/3 wave "${DEMO_WAVE}" ran in ${(result.elapsedMs / 1000).toFixed(1)} s`);
    write('');
    write(renderWaveSummary(result));
    write('');
    for (const failure of result.failed)
      write(`partner ${failure.partnerId} failed: ${failure.reason ?? 'unknown reason'}`);
    write(`announced: ${announced.announced} partner(s), ${announced.notices} migration-scheduled notice(s)`);
    if (result.cutover) write(describeCutover(result.cutover, config));
    if (!config.SMTP_URL) {
      const dir = resolve(config.MAIL_OUTBOX_DIR);
      const files = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.eml')).length : 0;
      write(`The messages partners received: ${files} .eml file(s) in ${dir}`);
    }
    write('Where to look (psql on the marketplace database):');
    write(`  psql -d ${db} -c 'select status, count(*) from marketplace.accounts group by 1'`);
    write(`  psql -d ${db} -c 'select entity, reason, count(*) from migration.quarantine group by 1, 2 order by 1, 2'`);
    write(`  psql -d ${db} -c 'select entity, reason, count(*) from migration.skipped group by 1, 2 order by 1, 2'`);
    write(`  psql -d ${db} -c "${DEMO_FINDINGS_QUERY}"`);
    write(`  psql -d ${db} -c 'select count(*), sum(total_amount) from archive.orders'`);
    write(`  psql -d ${db} -c 'select kind, state, count(*) from migration.outbox group by 1, 2 order by 1, 2'`);
    write('The reconciliation report, as an auditor reads it:');
    write(`  npx ppm report ${DEMO_WAVE} --format html --out ${DEMO_WAVE}-report.html`);
    write('The console (waves, partners, reports, quarantine, queues), on this machine only:');
    write(`  npx ppm serve      # then open ${DEMO_CONSOLE_URL}`);
    return result.failed.length > 0 ? 1 : 0;
  } finally {
    await services.close();
  }
}
