/**
 * `npm run bench` (bench/README.md): for each shape of BENCH_SHAPES (default `wide,longtail`,
 * both of about BENCH_ROWS legacy rows), seeds a synthetic portal and runs one wave of every
 * partner the way `ppm wave run` does (verification on), beside two baselines measured in the
 * same run: pgloader over the same seven legacy tables, and `psql \copy` of the target rows the
 * wave wrote. Each shape runs in child processes of its own (shape-run.ts), so that each shape's
 * peak RSS is its own; this driver collects their results into one table.
 *
 *   node dist/bench/wave-bench.js                             the driver: every shape
 *   node dist/bench/wave-bench.js --shape longtail --step seed   one step of one shape
 *   node dist/bench/wave-bench.js --shape longtail --step run
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { createInterface } from 'node:readline';
import { legacyEngineOf, loadConfig } from '../src/core/config';
import { ensurePgloader } from './pgloader-peer';
import { renderTable, type ShapeOutcome } from './report';
import { RESULT_MARK, runStep, seedStep, type RunStepResult, type SeedStepResult } from './shape-run';
import { shapeOf, shapesOfEnv } from './shapes';

function machine(): string {
  return (
    `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
    `node ${process.version}`
  );
}

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Runs one step of one shape in a child process: its lines pass through, its result line is parsed. */
function childStep<R>(shape: string, step: 'seed' | 'run'): Promise<{ code: number; result?: R }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, __filename, '--shape', shape, '--step', step], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let result: R | undefined;
    createInterface({ input: child.stdout }).on('line', (text) => {
      if (text.startsWith(RESULT_MARK)) result = JSON.parse(text.slice(RESULT_MARK.length)) as R;
      else say(text);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, result }));
  });
}

async function driver(): Promise<number> {
  const shapes = shapesOfEnv();
  const startedAt = new Date();
  say(`machine: ${machine()}`);
  say(
    `shapes: ${shapes.map((s) => `${s.name} (${s.partners} partners, about ${s.rows} legacy rows)`).join(', ')}; ` +
      `started ${startedAt.toISOString()}`,
  );
  let pgloaderVersion: string | undefined;
  if (legacyEngineOf(loadConfig().LEGACY_DATABASE_URL) === 'mariadb') pgloaderVersion = ensurePgloader(say);

  const outcomes: ShapeOutcome[] = [];
  for (const shape of shapes) {
    const outcome: ShapeOutcome = {
      shape: shape.name,
      partnersAsked: shape.partners,
      rowsAsked: shape.rows,
      exitCode: 0,
    };
    outcomes.push(outcome);
    const seeded = await childStep<SeedStepResult>(shape.name, 'seed');
    outcome.seed = seeded.result;
    if (seeded.code !== 0 || !seeded.result) {
      outcome.exitCode = seeded.code || 1;
      outcome.error = `seeding exited with ${seeded.code}`;
      continue;
    }
    const ran = await childStep<RunStepResult>(shape.name, 'run');
    outcome.run = ran.result;
    outcome.exitCode = ran.code;
    if (!ran.result) outcome.error = `the run exited with ${ran.code} and no result`;
  }
  // The cutover's messages, after the shapes (bench/notify-bench.ts), unless BENCH_NOTIFY=0;
  // loaded here only, so that the shapes' processes do not load the SMTP server.
  const notifyBench = process.env.BENCH_NOTIFY === '0' ? undefined : await import('./notify-bench');
  const notify = notifyBench ? await notifyBench.notifyBenchInChild(say) : undefined;

  const servers = outcomes.find((o) => o.run)?.run?.servers;
  say('');
  say(
    `machine: ${machine()}${servers ? `, ${servers.postgres}, ${servers.legacy}` : ''}` +
      `${pgloaderVersion ? `, pgloader ${pgloaderVersion}` : ''} (all on this machine)`,
  );
  const table = renderTable(outcomes);
  for (const text of table.lines) say(text);
  if (notify && notifyBench)
    say(notify.result ? notifyBench.notifySummary(notify.result) : `notify: exited with ${notify.code} and no result`);
  const targets = [...table.targets];
  if (notify?.result) targets.push({ name: 'notify pipeline / loop', ok: notify.result.ok });

  let exitCode = notify && notify.code !== 0 ? 1 : 0;
  for (const o of outcomes) {
    if (o.exitCode !== 0 || o.error) exitCode = 1;
    if (o.error) say(`${o.shape}: ${o.error}`);
    if (o.run && o.run.wave.failed > 0) say(`${o.shape}: ${o.run.wave.failed} partners failed`);
    if (o.run?.verify && o.run.verify.found !== o.run.verify.changed)
      say(`${o.shape}: verify named ${o.run.verify.found} of the ${o.run.verify.changed} changed rows`);
    if (o.run && !('skipped' in o.run.pgloader) && !o.run.pgloader.matches) {
      exitCode = 1;
      say(`${o.shape}: pgloader's counts differ from the legacy tables: ${o.run.pgloader.mismatches.join('; ')}`);
    }
  }
  const unjudged = outcomes.filter((o) => !o.run).map((o) => o.shape);
  if (unjudged.length > 0) say(`no result, so no targets judged, for: ${unjudged.join(', ')}`);
  const missed = targets.filter((t) => !t.ok);
  say(
    missed.length === 0
      ? `all ${targets.length} targets met`
      : `${missed.length} of ${targets.length} targets missed: ${missed.map((t) => t.name).join(', ')}`,
  );
  const jsonOut = process.env.BENCH_JSON_OUT;
  if (jsonOut) {
    writeFileSync(
      jsonOut,
      `${JSON.stringify({ machine: machine(), servers, pgloaderVersion, startedAt, outcomes, notify: notify?.result }, null, 2)}\n`,
    );
    say(`results written to ${jsonOut}`);
  }
  return exitCode;
}

async function child(shapeName: string, step: string): Promise<number> {
  const shape = shapeOf(shapeName);
  if (step === 'seed') {
    const result = await seedStep(shape);
    process.stdout.write(`${RESULT_MARK}${JSON.stringify(result)}\n`);
    return 0;
  }
  if (step === 'run') {
    const { result, exitCode } = await runStep(shape);
    process.stdout.write(`${RESULT_MARK}${JSON.stringify(result)}\n`);
    return exitCode;
  }
  throw new Error(`unknown step "${step}": seed or run`);
}

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const shapeArgument = argument('--shape');
(shapeArgument === undefined ? driver() : child(shapeArgument, argument('--step') ?? 'run'))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
