import { Command, CommanderError, Option } from 'commander';
import { databaseOf, loadConfig, type Config } from '../core/config';
import { redactText } from '../core/redact';
import { initLegacy, seedLegacy } from '../../pipelines/commands/legacy-setup';
import { planWave, type PartnerSelection } from '../../pipelines/commands/wave-plan';
import { runWave } from '../../pipelines/commands/wave-run';
import { nonNegativeInt, partnerList, positiveInt } from './arguments';
import { runDemo } from './demo';
import { renderEnvironmentHelp } from './environment-help';
import { describeMigration } from './migration-message';
import { createProgress } from './progress';
import { registerNotifyCommands } from './notify-commands';
import { registerOperatorCommands } from './operator-commands';
import { runWorkerProcess } from './worker-process';
import { describeCutover, describeEffects } from './cutover-summary';
import { announceWave } from '../../pipelines/commands/wave-announce';
import { cutoverWave } from '../../pipelines/commands/wave-cutover';
import { recordAndAwaitEffects } from '../../pipelines/commands/deliver-effects';
import { assertRedisReachable } from '../../pipelines/jobs/redis';
import { findWave, migrateTarget } from '../load';
import { PpmError, UsageError } from '../core/errors';
import { registerVerifyCommands } from './verify-commands';
import { registerSyncCommands } from './sync-commands';
import { registerServeCommand } from './serve-command';
import { packageVersion } from './version';
import { renderWaveSummary } from './wave-summary';
import { withServices } from './with-services';

/** Exit codes: 0 success, 1 a partner or check failed, 2 usage, configuration or refusal. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const out = (text: string) => process.stdout.write(`${text}\n`);

function buildProgram(getConfig: () => Config, setExit: (code: number) => void): Command {
  const program = new Command('ppm')
    .description('Partner Portal -> Marketplace migration: plan and run waves, verify, report.')
    .version(packageVersion(), '-V, --version', 'print the version of ppm')
    .addHelpText('after', renderEnvironmentHelp())
    .showHelpAfterError()
    .exitOverride();

  const db = program.command('db').description('the marketplace (target) database');
  db.command('migrate')
    .description(
      'create or update the marketplace, archive and migration schemas, roles, archive guard and sellers (idempotent)',
    )
    .action(async () => {
      const url = getConfig().MARKETPLACE_DATABASE_URL;
      out(describeMigration(await migrateTarget(url), databaseOf(url), { names: true }));
    });

  const legacy = program.command('legacy').description('the legacy Partner Portal database (for tests and demos)');
  legacy
    .command('init')
    .description('create the legacy schema on the configured source when it is absent')
    .action(async () => {
      await initLegacy(getConfig());
      out('legacy schema is in place');
    });
  legacy
    .command('seed')
    .description(
      'fill the legacy database with a deterministic synthetic portal (refuses a non-empty one without --reset)',
    )
    .requiredOption('--partners <n>', 'number of partners', positiveInt)
    .option('--seed <s>', 'random seed; the same seed gives the same portal', nonNegativeInt, 1)
    .option('--rows <n>', 'approximate rows across all tables (default: about 300 per partner)', positiveInt)
    .option('--reset', 'drop and recreate the legacy tables first, even when they hold data')
    .action(async (options: { partners: number; seed: number; rows?: number; reset?: boolean }) => {
      const progress = createProgress('seed', 'rows');
      try {
        const { rows } = await seedLegacy(
          getConfig(),
          { partners: options.partners, seed: options.seed, targetRows: options.rows, reset: options.reset },
          (p) => progress.update({ value: p.rows, total: p.rowsTotal }),
        );
        progress.stop();
        out(`seeded ${rows} legacy rows for ${options.partners} partners (seed ${options.seed})`);
      } finally {
        progress.stop();
      }
    });

  const wave = program.command('wave').description('plan and run migration waves');
  wave
    .command('plan <name>')
    .description('record a wave and its partners')
    .addOption(
      new Option('--partners <ids>', 'comma-separated legacy partner ids')
        .argParser(partnerList)
        .conflicts(['count', 'all']),
    )
    .addOption(
      new Option('--count <n>', 'the next N partners not yet in a wave').argParser(positiveInt).conflicts(['all']),
    )
    .option('--all', 'every partner not yet in a wave')
    .action(async (name: string, options: { partners?: number[]; count?: number; all?: boolean }) => {
      const selection: PartnerSelection | undefined = options.partners
        ? { ids: options.partners }
        : options.count
          ? { count: options.count }
          : options.all
            ? { all: true }
            : undefined;
      if (!selection) throw new CommanderError(2, 'ppm.usage', 'error: give one of --partners, --count or --all');
      const planned = await withServices(getConfig(), (services) => planWave(services, name, selection));
      out(`wave "${planned.name}" planned with ${planned.partnerIds.length} partner(s)`);
    });
  wave
    .command('run <name>')
    .description('run (or resume) a wave as a BullMQ flow; exit 1 when any partner failed')
    .option('--no-local-worker', 'start no worker in this process; `ppm worker` processes do the work')
    .option('--no-verify', 'load only: leave partners `loaded` without reconciling them (and cut none over)')
    .option('--no-cutover', 'stop at `verified`: cut no partner over (`ppm wave cutover` does it later)')
    .action(async (name: string, options: { localWorker: boolean; verify: boolean; cutover: boolean }) => {
      const config = getConfig();
      const progress = createProgress(`wave ${name}`, 'rows');
      let effectsProgress: ReturnType<typeof createProgress> | undefined;
      const result = await withServices(config, (services) =>
        runWave(services, name, {
          localWorker: options.localWorker,
          verify: options.verify,
          cutover: options.cutover,
          onEffects: (effects) => {
            if (!effectsProgress) {
              progress.stop();
              effectsProgress = createProgress(`cutover ${name}`, 'effects');
            }
            effectsProgress.update({
              value: effects.done + effects.failed,
              total: effects.done + effects.failed + effects.open,
              ...(effects.failed > 0 ? { fields: { 'not delivered': effects.failed } } : {}),
            });
          },
          onStart: (info) =>
            process.stderr.write(
              `${info.resumed ? 'resuming' : 'starting'} run ${info.runId} of wave "${name}": ${info.partners} partners, ` +
                `${info.expectedRows} legacy rows, ${info.partitionJobs} load jobs (${info.batchJobs} batches of small partners)${options.localWorker ? '' : ' (no local worker)'}\n`,
            ),
          onProgress: (p) =>
            progress.update({
              value: p.rows,
              total: p.rowsTotal,
              etaMs: p.etaMs,
              fields: { partners: `${p.partnersDone}/${p.partnersTotal}` },
            }),
        }),
      ).finally(() => {
        progress.stop();
        effectsProgress?.stop();
      });
      out(renderWaveSummary(result));
      out(
        `run ${result.runId}: ${result.partners - result.failed.length} of ${result.partners} partners ` +
          `${options.verify ? 'verified' : 'loaded'} in ${(result.elapsedMs / 1000).toFixed(1)} s`,
      );
      if (result.cutover) out(describeCutover(result.cutover, config));
      for (const failure of result.failed)
        out(`partner ${failure.partnerId} failed: ${failure.reason ?? 'unknown reason'}`);
      setExit(result.failed.length > 0 ? EXIT.failed : EXIT.ok);
    });

  wave
    .command('announce <name>')
    .description(
      'tell the planned partners of a wave that their migration is scheduled: portal banner and a notice to each active user',
    )
    .action(async (name: string) => {
      const config = getConfig();
      await assertRedisReachable(config.REDIS_URL);
      const result = await withServices(config, async (services) => {
        const wave = await findWave(services.target, name);
        if (!wave) throw new UsageError(`no wave named "${name}"; create it with \`ppm wave plan ${name} --count N\``);
        const { recorded, effects } = await recordAndAwaitEffects(services, wave.id, () =>
          announceWave(services, name),
        );
        return { announced: recorded, effects };
      });
      out(
        `wave "${name}": ${result.announced.announced} partner(s) announced, ${result.announced.notices} notice(s) recorded` +
          (result.announced.skipped > 0 ? `, ${result.announced.skipped} not planned (left alone)` : ''),
      );
      out(describeEffects(result.effects, config));
      setExit(result.effects.failed > 0 ? EXIT.failed : EXIT.ok);
    });
  wave
    .command('cutover <name>')
    .description(
      'cut over the verified partners of a wave (those `wave run --no-cutover` left verified) and perform the effects',
    )
    .action(async (name: string) => {
      const config = getConfig();
      await assertRedisReachable(config.REDIS_URL);
      const result = await withServices(config, async (services) => {
        const wave = await findWave(services.target, name);
        if (!wave) throw new UsageError(`no wave named "${name}"`);
        const { recorded, effects } = await recordAndAwaitEffects(services, wave.id, () => cutoverWave(services, name));
        return { partners: recorded.cutover, closed: recorded.closed, effects };
      });
      out(describeCutover(result, config));
      setExit(result.effects.failed > 0 ? EXIT.failed : EXIT.ok);
    });

  registerVerifyCommands(program, getConfig, setExit);
  registerSyncCommands(program, getConfig, setExit);
  registerNotifyCommands(program);
  registerOperatorCommands(program, getConfig, setExit);
  registerServeCommand(program, getConfig);

  program
    .command('worker')
    .description(
      'a long-running worker of the wave queue and of the outbox (portal modes, messages); run any number on machines sharing the Redis',
    )
    .option('--concurrency <n>', 'jobs at once in this process (default WORKER_CONCURRENCY)', positiveInt)
    .option('--no-effects', 'work the wave queue only, not the outbox')
    .action(async (options: { concurrency?: number; effects: boolean }) => {
      await runWorkerProcess(getConfig(), { wave: true, effects: options.effects, concurrency: options.concurrency });
    });
  program.commands
    .find((command) => command.name() === 'notify')!
    .command('worker')
    .description(
      'a long-running worker of the outbox only: relays due effects and performs them (portal modes, messages)',
    )
    .option('--concurrency <n>', 'messages at once per queue (default NOTIFY_CONCURRENCY)', positiveInt)
    .action(async (options: { concurrency?: number }) => {
      await runWorkerProcess(getConfig(), { wave: false, effects: true, concurrency: options.concurrency });
    });

  program
    .command('demo')
    .description(
      'from scratch: seed a 200-partner portal into the configured legacy database, migrate it, print a summary',
    )
    .option('--reset', 'reseed the legacy database even when it holds data')
    .option('--partners <n>', 'partners to seed', positiveInt, 200)
    .action(async (options: { reset?: boolean; partners: number }) => {
      const code = await runDemo(getConfig(), { reset: options.reset, partners: options.partners, write: out });
      setExit(code);
    });

  return program;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  let config: Config | undefined;
  const getConfig = () => (config ??= loadConfig());
  const program = buildProgram(getConfig, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0)
        return EXIT.ok;
      if (error.code === 'ppm.usage') process.stderr.write(`${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof PpmError) {
      process.stderr.write(`ppm: ${redactText(error.message)}\n`);
      return error.code === 'configuration' ||
        error.code === 'usage' ||
        error.code === 'conflict' ||
        error.code === 'refused'
        ? EXIT.usage
        : EXIT.failed;
    }
    process.stderr.write(`ppm: ${redactText(error instanceof Error ? error.message : String(error))}\n`);
    return EXIT.failed;
  }
}
