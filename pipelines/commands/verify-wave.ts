import pLimit from 'p-limit';
import { UsageError } from '../../src/core/errors';
import {
  createRun,
  deleteReconciliations,
  findLatestRun,
  findWave,
  finishRun,
  insertReconciliations,
  insertReport,
  listWavePartners,
  movePartners,
  readLastSeal,
  readRunReport,
  readProblemGroups,
  readRecordedResults,
  readWaveSyncWatermark,
  setPartnerState,
  withLoadTransaction,
  withWaveVerifyLock,
} from '../../src/load';
import {
  buildReport,
  chunkPartners,
  partnerPassed,
  partnersByVerdict,
  readArchiveSizes,
  canonicalJson,
  sealOfCanonical,
  type CheckResult,
  type ProblemGroup,
  type Report,
} from '../../src/verify';
import { batchingWriter } from '../../src/core/batching-writer';
import { verifyPartners, type KnownInputs } from './verify-partners';
import type { Services } from '../services';
import { rideOutOutages, type OutageWaiting } from './ride-out-outage';

/** Verifies one partner within a run, records the results, and moves it to `verified` when every check passed. */
export async function verifyAndRecordPartner(
  services: Services,
  run: { runId: string; waveId: number },
  partnerId: number,
  watermark: string,
  known?: KnownInputs,
): Promise<CheckResult[]> {
  const results = (await verifyPartners(services, [partnerId], watermark, undefined, undefined, known)).get(partnerId)!;
  await deleteReconciliations(services.target, run.runId, [partnerId]);
  await insertReconciliations(services.target, run.runId, results);
  if (partnerPassed(results)) await setPartnerState(services.target, run.waveId, partnerId, 'verified');
  return results;
}

/**
 * Verifies a group of loaded partners within a run through the grouped statements of
 * `ppm verify` (one set of statements for the group, not per partner), records the results in
 * one write, and moves those whose every check passed from `loaded` to `verified`. Returns them.
 */
export async function verifyAndRecordPartners(
  services: Services,
  run: { runId: string; waveId: number },
  partnerIds: number[],
  watermark: string,
  known?: KnownInputs,
): Promise<number[]> {
  if (partnerIds.length === 0) return [];
  const results = await verifyPartners(services, partnerIds, watermark, undefined, undefined, known);
  await deleteReconciliations(services.target, run.runId, partnerIds);
  await insertReconciliations(services.target, run.runId, [...results.values()].flat());
  const { passed } = partnersByVerdict(results);
  return movePartners(services.target, run.waveId, passed, 'loaded', 'verified');
}

/** The quarantine, skipped rows and findings of these partners, grouped by reason, as a report lists them. */
export async function readRunProblems(services: Services, partnerIds: number[]): Promise<RunProblems> {
  const [quarantine, skipped, findings] = await Promise.all([
    readProblemGroups(services.target, 'quarantine', partnerIds),
    readProblemGroups(services.target, 'skipped', partnerIds),
    readProblemGroups(services.target, 'findings', partnerIds),
  ]);
  return { quarantine, skipped, findings };
}

export interface RunProblems {
  quarantine: ProblemGroup[];
  skipped: ProblemGroup[];
  findings: ProblemGroup[];
}

/**
 * Builds the run's report and seals it into the hash chain: from the results recorded for the
 * run (or `known.results`, the same results as the caller records them) and the problem groups
 * (or `known.problems`, read by the caller while the checks ran). `known.recorded` is the
 * caller's writing of those results: the report is built while it runs and stored only once it
 * has succeeded, so a sealed report's results are always recorded (when the recording fails,
 * its error is the one rejected with, and nothing is sealed).
 */
export async function sealRunReport(
  services: Services,
  run: { runId: string; runKind: string; waveName: string; watermark: string | null },
  partnerIds: number[],
  known: { results?: CheckResult[]; problems?: Promise<RunProblems>; recorded?: Promise<void> } = {},
): Promise<{ report: Report; sha256: string }> {
  const { target } = services;
  const [results, { quarantine, skipped, findings }] = await Promise.all([
    known.results ?? readRecordedResults<CheckResult>(target, run.runId),
    known.problems ?? readRunProblems(services, partnerIds),
  ]);
  return withLoadTransaction(target, async (trx) => {
    // A run resumed after it sealed (killed between the seal and its end) keeps its seal: the
    // chain is never rewritten, and a second report of one run is not one.
    const sealed = await readRunReport(trx, run.runId);
    if (sealed) return { report: sealed.body as Report, sha256: sealed.sha256 };
    const previousSha256 = await readLastSeal(trx);
    const report = buildReport({
      runId: run.runId,
      runKind: run.runKind,
      wave: run.waveName,
      watermark: run.watermark,
      generatedAt: new Date().toISOString(),
      partnerIds,
      results,
      quarantine,
      skipped,
      findings,
      previousSha256,
    });
    // The canonical JSON is both what is hashed and what is stored (the same value as the body).
    const canonical = canonicalJson(report);
    const sha256 = sealOfCanonical(canonical);
    await known.recorded;
    await insertReport(trx, run.runId, report, sha256, previousSha256, canonical);
    return { report, sha256 };
  });
}

export interface VerifyWaveOptions {
  /** Only this partner of the wave. */
  partnerId?: number;
  /**
   * Chunks of partners verified at once. A chunk's own statements already keep both databases
   * and this process busy, and each chunk repeats archive scans (and hash tables) that do not
   * shrink with it: in the same memory, one chunk of twice the rows does better than two at a time.
   * @defaultValue 1
   */
  concurrency?: number;
  /**
   * Archived orders and invoices per chunk of partners (a partner is never split).
   * @defaultValue 300_000
   */
  chunkRows?: number;
  /** Called as chunks finish: partners verified so far, of how many. */
  onProgress?(done: number, total: number): void;
  /** Called while a database that went away is waited for, and with `undefined` once it answers. */
  onWaiting?(waiting: OutageWaiting | undefined): void;
}

export interface VerifyWaveResult {
  runId: string;
  report: Report;
  sha256: string;
  passed: boolean;
  elapsedMs: number;
}

/**
 * `ppm verify`: a `verify` run over the wave's partners at the watermark the wave last loaded
 * up to; every check per partner, recorded, the report sealed; partners that pass become `verified`.
 * Partners are checked in chunks (grouped statements per chunk keep the statement count
 * independent of the number of partners, and memory bounded by the chunk's rows).
 */
export async function verifyWave(
  services: Services,
  waveName: string,
  options: VerifyWaveOptions = {},
): Promise<VerifyWaveResult> {
  // A database restarted mid-verify is waited for (OUTAGE_WAIT), then the wave verified again
  // from the start: the interrupted run seals nothing and is closed by the next one.
  return rideOutOutages(
    services,
    { during: 'the verification', again: `ppm verify ${waveName}`, onWaiting: options.onWaiting },
    () => verifyWaveUnderLock(services, waveName, options),
  );
}

async function verifyWaveUnderLock(
  services: Services,
  waveName: string,
  options: VerifyWaveOptions,
): Promise<VerifyWaveResult> {
  const started = Date.now();
  const { target } = services;
  const wave = await findWave(target, waveName);
  if (!wave) throw new UsageError(`no wave named "${waveName}"`);
  const loadRun = await findLatestRun(target, wave.id, 'wave');
  if (!loadRun?.watermark) throw new UsageError(`wave "${waveName}" has not been run yet: nothing to verify`);
  // A partner kept in step by the nightly sync is checked at the watermark it was synced to.
  const synced = await readWaveSyncWatermark(target, wave.id);
  const watermark = synced !== null && BigInt(synced) > BigInt(loadRun.watermark) ? synced : loadRun.watermark;
  const members = await listWavePartners(target, wave.id);
  let partnerIds = members.map((member) => member.legacy_partner_id);
  if (options.partnerId !== undefined) {
    if (!partnerIds.includes(options.partnerId))
      throw new UsageError(`partner ${options.partnerId} is not in wave "${waveName}"`);
    partnerIds = [options.partnerId];
  }
  return withWaveVerifyLock(target, wave.id, async () => {
    const run = await createRun(target, { kind: 'verify', waveId: wave.id, watermark });
    try {
      // Problem groups do not depend on the checks: read while they run, not after.
      const problems = readRunProblems(services, partnerIds);
      problems.catch(() => undefined);
      const chunks = chunkPartners(
        partnerIds,
        await readArchiveSizes(target, partnerIds),
        options.chunkRows ?? 300_000,
      );
      const limit = pLimit(options.concurrency ?? 1);
      let done = 0;
      const checked: CheckResult[] = [];
      options.onProgress?.(0, partnerIds.length);
      // Results are written as the checks produce them (the marketplace checks while the legacy
      // digests are still being read, each archive entity's as its digest comes in), a chunk's
      // partners are moved once all their results are written, and the report is stored only once
      // every write has succeeded.
      const writer = batchingWriter<CheckResult>((results) => insertReconciliations(target, run.id, results));
      let recording = Promise.resolve();
      const settle = async (results: Map<number, CheckResult[]>) => {
        await writer.written();
        // Only a loaded partner is promoted; a failing check sends a verified one back to loaded.
        const { passed, failed } = partnersByVerdict(results);
        await movePartners(target, wave.id, passed, 'loaded', 'verified');
        await movePartners(target, wave.id, failed, 'verified', 'loaded');
      };
      await Promise.all(
        chunks.map((chunk) =>
          limit(async () => {
            const results = await verifyPartners(services, chunk, watermark, (some) => writer.add(some));
            for (const checks of results.values()) checked.push(...checks);
            recording = recording.then(() => settle(results));
            recording.catch(() => undefined); // awaited by the seal
            done += chunk.length;
            options.onProgress?.(done, partnerIds.length);
          }),
        ),
      );
      const sealed = await sealRunReport(
        services,
        { runId: run.id, runKind: 'verify', waveName, watermark },
        partnerIds,
        { results: checked, problems, recorded: recording },
      );
      const passed = sealed.report.verdict === 'pass';
      await finishRun(target, run.id, passed ? 'succeeded' : 'failed', undefined);
      return { runId: run.id, report: sealed.report, sha256: sealed.sha256, passed, elapsedMs: Date.now() - started };
    } catch (error) {
      await finishRun(target, run.id, 'failed', undefined, {
        error: error instanceof Error ? error.message : String(error),
      }).catch(() => undefined);
      throw error;
    }
  });
}
