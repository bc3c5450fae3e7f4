import type { Command } from 'commander';
import type { Config } from '../core/config';
import { UsageError } from '../core/errors';
import { runSync, type SyncResult } from '../../pipelines/commands/sync-run';
import { assertRedisReachable } from '../../pipelines/jobs/redis';
import { scheduleSync, unscheduleSync } from '../../pipelines/jobs/sync-schedule';
import { createProgress, progressWithWaiting } from './progress';
import { renderTable } from './table';
import { withServices } from './with-services';

const out = (text: string) => process.stdout.write(`${text}\n`);

/** The lines `ppm sync run` ends with: a table per target table, the re-verification per wave. */
export function renderSyncSummary(result: SyncResult): string {
  const lines: string[] = [];
  const head = result.dryRun ? 'sync dry run (nothing written)' : `sync run ${result.runId}`;
  lines.push(
    `${head} at watermark ${result.watermark}: ${result.touched} of ${result.partners} migrated partners changed, ` +
      `${(result.elapsedMs / 1000).toFixed(1)} s`,
  );
  if (result.stalledSince) {
    lines.push(
      `warning: the legacy watermark has not moved since ${result.stalledSince.toISOString()} ` +
        '(longer than SYNC_STALL_WARN): an open legacy transaction may be holding it back',
    );
  }
  const rows = Object.entries(result.tables)
    .filter(([, counts]) => counts.inserted + counts.updated + counts.deleted + counts.quarantined > 0)
    .map(([table, counts]) => [
      table,
      String(counts.inserted),
      String(counts.updated),
      String(counts.deleted),
      String(counts.quarantined),
    ]);
  if (rows.length > 0) lines.push(renderTable(['table', 'inserted', 'updated', 'deleted', 'quarantined'], rows));
  else lines.push('nothing to change');
  if (result.ordersAfterArchive > 0)
    lines.push(`${result.ordersAfterArchive} order(s) created after archive mode (finding order_after_archive)`);
  if (result.invitationsExpired > 0) lines.push(`${result.invitationsExpired} invitation(s) expired`);
  for (const wave of result.waves) {
    const { totals } = wave.report;
    lines.push(
      `wave "${wave.wave}": ${wave.report.verdict.toUpperCase()} — ${totals.partnersPassed} of ${totals.partners} partners verified ` +
        `(sync run ${wave.runId}, report sha256 ${wave.sha256})`,
    );
    for (const partner of wave.report.partners.filter((p) => !p.passed))
      lines.push(`  partner ${partner.partnerId} failed: ${partner.failedChecks.join(', ')}`);
  }
  return lines.join('\n');
}

/** `ppm sync run|schedule|unschedule`: exit 0 when every re-verified partner passed, 1 when one failed, 2 usage. */
export function registerSyncCommands(program: Command, getConfig: () => Config, setExit: (code: number) => void): void {
  const sync = program.command('sync').description('the nightly incremental sync of migrated partners');
  sync
    .command('run')
    .description(
      "apply the legacy changes since each migrated partner's last sync, mark hard deletes in the archive, " +
        're-verify the partners touched and seal a report per wave; exit 1 when a check fails',
    )
    .option('--dry-run', 'show what would change without writing anything')
    .option('--json', 'the result as one JSON document')
    .option(
      '--full-verify',
      'verify every touched partner whole, as `ppm verify` does (default: what the sync changed, beside the account side)',
    )
    .action(async (options: { dryRun?: boolean; json?: boolean; fullVerify?: boolean }) => {
      const progress = progressWithWaiting(createProgress('sync', 'partners'));
      const result = await withServices(getConfig(), (services) =>
        runSync(services, {
          dryRun: options.dryRun,
          fullVerify: options.fullVerify,
          onProgress: progress.onProgress,
          onWaiting: progress.onWaiting,
        }),
      ).finally(() => progress.stop());
      if (options.json) {
        const { waves, ...rest } = result;
        out(
          JSON.stringify(
            { ...rest, waves: waves.map(({ report, ...wave }) => ({ ...wave, verdict: report.verdict })) },
            null,
            2,
          ),
        );
      } else {
        out(renderSyncSummary(result));
      }
      setExit(result.passed ? 0 : 1);
    });

  sync
    .command('schedule')
    .description(
      'register the nightly sync as a BullMQ job scheduler (replacing any earlier one); `ppm worker` runs it',
    )
    .requiredOption('--cron <pattern>', 'when to run, as a cron pattern, e.g. "0 2 * * *"')
    .option('--tz <zone>', 'IANA time zone of the pattern', 'UTC')
    .action(async (options: { cron: string; tz: string }) => {
      if (options.cron.trim() === '') throw new UsageError('--cron needs a pattern, e.g. "0 2 * * *"');
      const config = getConfig();
      await assertRedisReachable(config.REDIS_URL);
      const schedule = await withServices(config, (services) =>
        scheduleSync(services, options.cron.trim(), options.tz),
      );
      out(
        `sync scheduled: "${schedule.pattern}" (${schedule.tz}); next run ${schedule.next ? new Date(schedule.next).toISOString() : '-'}`,
      );
    });

  sync
    .command('unschedule')
    .description('remove the nightly sync scheduler')
    .action(async () => {
      const config = getConfig();
      await assertRedisReachable(config.REDIS_URL);
      const removed = await withServices(config, (services) => unscheduleSync(services));
      out(removed ? 'sync schedule removed' : 'no sync schedule was registered');
    });
}
