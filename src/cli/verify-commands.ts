import { writeOutputFile } from './output-file';
import { Option, type Command } from 'commander';
import type { Config } from '../core/config';
import { UsageError } from '../core/errors';
import { REPORT_FORMATS, type ReportFormat } from '../verify';
import { renderWaveReport, verifyReportChain } from '../../pipelines/commands/report';
import { verifyWave } from '../../pipelines/commands/verify-wave';
import { positiveInt } from './arguments';
import { createProgress, progressWithWaiting } from './progress';
import { withServices } from './with-services';

const out = (text: string) => process.stdout.write(`${text}\n`);

/** `ppm verify` and `ppm report`: exit 0 all passed (or the chain holds), 1 a check failed (or the chain is broken), 2 usage. */
export function registerVerifyCommands(
  program: Command,
  getConfig: () => Config,
  setExit: (code: number) => void,
): void {
  program
    .command('verify <wave>')
    .description(
      'reconcile every partner of a wave (legacy vs target), record each check, seal the report; exit 1 when any check fails',
    )
    .option('--partner <id>', 'only this partner of the wave', positiveInt)
    .action(async (wave: string, options: { partner?: number }) => {
      const progress = progressWithWaiting(createProgress(`verify ${wave}`, 'partners'));
      const result = await withServices(getConfig(), (services) =>
        verifyWave(services, wave, {
          partnerId: options.partner,
          onProgress: progress.onProgress,
          onWaiting: progress.onWaiting,
        }),
      ).finally(() => progress.stop());
      const { totals } = result.report;
      out(
        `verify run ${result.runId} of wave "${wave}": ${result.report.verdict.toUpperCase()} — ` +
          `${totals.partnersPassed} of ${totals.partners} partners verified, ` +
          `${totals.checksFailed} of ${totals.checks} checks failed, ${totals.discrepancies} discrepancies, ${(result.elapsedMs / 1000).toFixed(1)} s`,
      );
      for (const partner of result.report.partners.filter((p) => !p.passed))
        out(`partner ${partner.partnerId} failed: ${partner.failedChecks.join(', ')}`);
      out(`report sealed: sha256 ${result.sha256}`);
      setExit(result.passed ? 0 : 1);
    });

  program
    .command('report [wave]')
    .description('render the latest sealed report of a wave, or check the hash chain of every report')
    .addOption(new Option('--format <format>', 'md, html, json or csv').choices([...REPORT_FORMATS]).default('md'))
    .option('--out <file>', 'write to this file instead of standard output')
    .option(
      '--reveal',
      'show personal values (e-mail addresses, names, created_by) as sealed; without it they are masked, with a short hash',
    )
    .option(
      '--verify-chain',
      'recompute the hash chain of every sealed report; exit 1 naming the first altered or removed one',
    )
    .action(
      async (
        wave: string | undefined,
        options: { format: ReportFormat; out?: string; verifyChain?: boolean; reveal?: boolean },
      ) => {
        if (options.verifyChain) {
          const verdict = await withServices(getConfig(), (services) => verifyReportChain(services));
          if (verdict.ok) {
            out(`report chain intact: ${verdict.reports} report(s)`);
            setExit(0);
          } else {
            out(`report chain broken at report ${verdict.reportId} (run ${verdict.runId}): ${verdict.problem}`);
            setExit(1);
          }
          return;
        }
        if (!wave) throw new UsageError('give a wave name, or --verify-chain');
        const text = await withServices(getConfig(), (services) =>
          renderWaveReport(services, wave, options.format, { reveal: options.reveal }),
        );
        if (options.out) {
          writeOutputFile(options.out, text);
          out(`wrote ${options.out}`);
        } else {
          process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
        }
      },
    );
}
