import { FlowProducer, Queue, QueueEvents, type Worker } from 'bullmq';
import { ContractViolationError, UsageError, WaitTimeoutError } from '../../src/core/errors';
import type { EntityCounts } from '../../src/core/outcomes';
import type { Entity } from '../../src/core/legacy-model';
import {
  analyzeGrownTables,
  analyzeLoadedTables,
  createRun,
  findUnfinishedRun,
  findWave,
  finishRun,
  listPartnerStates,
  listWavePartners,
  readRecordedResults,
  setPartnersState,
  setWaveStatus,
  sumCheckpointCounts,
} from '../../src/load';
import { WAVE_QUEUE, jobIds, runKeyOf } from '../jobs/payloads';
import { assertRedisReachable, connectRedis } from '../jobs/redis';
import type { Services } from '../services';
import { acquireWaveLease } from '../jobs/wave-lease';
import { planWaveFlow } from '../jobs/wave-flow';
import { createWaveWorker } from '../jobs/worker';
import type { CheckResult } from '../../src/verify';
import { sealRunReport } from './verify-wave';
import { EtaEstimator } from '../../src/core/eta';
import type { OpenEffects } from '../../src/notify';
import { recordAndAwaitEffects } from './deliver-effects';
import { cutoverWave } from './wave-cutover';

export interface WaveProgress {
  partnersDone: number;
  partnersTotal: number;
  rows: number;
  rowsTotal: number;
  /** Milliseconds left, fitted from the rows and partners done so far (src/core/eta.ts); undefined at first. */
  etaMs?: number;
}

/** A duration as a message says it: `90 s`, `15 min`, `24 h`. */
function describeMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

export interface WaveRunOptions {
  /** Start workers in this process (default); false leaves the work to `ppm worker` processes. */
  localWorker?: boolean;
  /** Called about once a second while the wave runs. */
  onProgress?: (progress: WaveProgress) => void;
  /** Verify each partner after loading it and seal the run's report (default true). */
  verify?: boolean;
  /**
   * Cut the verified partners over and wait for their effects that are due now (default true
   * when verifying): portal modes, e-mails and invitations, through the outbox.
   */
  cutover?: boolean;
  /** Called while the cutover's effects are performed. */
  onEffects?: (effects: OpenEffects) => void;
  /** Called once the run is known (new or resumed). */
  onStart?: (info: {
    runId: string;
    resumed: boolean;
    partners: number;
    expectedRows: number;
    /** Jobs that read legacy rows: partitions of big partners and batches of small ones. */
    partitionJobs: number;
    batchJobs: number;
  }) => void;
}

export interface WaveRunResult {
  runId: string;
  resumed: boolean;
  partners: number;
  failed: { partnerId: number; reason: string | null }[];
  counts: Partial<Record<Entity, EntityCounts>>;
  elapsedMs: number;
  /** The sealed report's sha256 when the run verified its partners. */
  reportSha256?: string;
  /** What the cutover did, when the run cut partners over. */
  cutover?: { partners: number; closed: number; effects: OpenEffects };
}

/** Legacy rows read so far: every entity but the derived subscriptions. */
export function legacyRowsRead(counts: Partial<Record<Entity, EntityCounts>>): number {
  return Object.entries(counts).reduce(
    (sum, [entity, c]) => (entity === 'subscription' ? sum : sum + (c?.extracted ?? 0)),
    0,
  );
}

const FINISHED_STATES = new Set(['loaded', 'verified', 'cutover', 'done', 'failed']);
/**
 * What the end of a run costs after its last job, for the ETA: statistics of the loaded tables
 * (ANALYZE, about 0.3 s and 0.87 ms per thousand legacy rows: 1.15 s after a million-row wave)
 * while the report is sealed beside it, its results read back per partner (about 0.4 ms each,
 * and 0.3 s whatever the size: 1.9 s for 4,000 partners); the longer of the two (the 200- and
 * 4,000-partner bench waves, on a 2-core VM: ANALYZE 1.15 / 1.6 s, the seal 0.47 / 1.9 s).
 */
function finishingMs(partners: number, rows: number, verify: boolean): number {
  const analyze = 300 + rows / 1150;
  return verify ? Math.max(analyze, 300 + 0.4 * partners) : analyze;
}

/** How often a wave looks for tables grown enough to need fresh planner statistics. */
const STATISTICS_EVERY_MS = 2000;

/**
 * Planner statistics refreshed while a wave's jobs run: every STATISTICS_EVERY_MS, the tables
 * that have doubled since they were last analyzed (analyzeGrownTables), one ANALYZE at a time.
 * `stop()` ends it and waits for one under way.
 */
function keepStatistics(services: Services): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = analyzeGrownTables(services.target)
      .then((tables) => {
        if (tables.length > 0) services.logger.debug({ tables }, 'planner statistics refreshed');
      })
      .catch((error: unknown) => services.logger.debug({ err: error }, 'planner statistics not refreshed'))
      .finally(() => {
        running = undefined;
      });
  }, STATISTICS_EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** Partners whose work in a verifying run is over: `loaded` ones still wait for their checks. */
const SETTLED_STATES = new Set(['verified', 'cutover', 'done', 'failed']);

/**
 * A wave's work done as its ETA counts it (src/core/eta.ts): legacy rows read and, when
 * verifying, the rows of the partners whose checks are done (a partner's checks cost with its
 * size); and the `batched` partners settled, those loaded in batches of small partners, whose
 * cost per partner (their share of a batch's statements, checks and results) the rows do not
 * tell. A partner loaded in partitions pays that cost per partition, with its rows; counted as
 * a partner, its completion (after its last partition, late in the wave) made the estimator see
 * a cost per partner where there is none: on the 200-partner bench wave, 70-80 ms a partner and
 * ETAs up to 77 % too long. A `loaded` partner of a verifying run counts half: its checks are
 * under way or next (they follow its load within a second or two), and a big partner's rows
 * would otherwise all land in one step when it becomes `verified` — the steps the ETA over- and
 * then underestimated by (on the 200-partner bench wave, up to +38 %, +28 % with the half).
 */
export function etaWorkDone(
  rowsRead: number,
  states: ReadonlyArray<{ legacy_partner_id: number; state: string }>,
  plan: { rowsByPartner: ReadonlyMap<number, number>; batchedPartners: ReadonlySet<number> },
  verifying: boolean,
): { rows: number; partners: number } {
  const shareOf = (state: string): number => {
    if (!verifying) return FINISHED_STATES.has(state) ? 1 : 0;
    if (SETTLED_STATES.has(state)) return 1;
    return state === 'loaded' ? 0.5 : 0;
  };
  let rows = rowsRead;
  let partners = 0;
  for (const partner of states) {
    const share = shareOf(partner.state);
    if (share === 0) continue;
    if (plan.batchedPartners.has(partner.legacy_partner_id)) partners += share;
    if (verifying) rows += share * (plan.rowsByPartner.get(partner.legacy_partner_id) ?? 0);
  }
  return { rows, partners };
}

/**
 * Runs (or resumes) a wave: takes the wave's lease, reads the source watermark once, plans the
 * flow and waits for it. An unfinished run of the wave is resumed with its own watermark and
 * job ids, so work already committed is not done again.
 */
export async function runWave(
  services: Services,
  waveName: string,
  options: WaveRunOptions = {},
): Promise<WaveRunResult> {
  const started = Date.now();
  const { config, target, source } = services;
  const wave = await findWave(target, waveName);
  if (!wave)
    throw new UsageError(`no wave named "${waveName}"; create it with \`ppm wave plan ${waveName} --count N\``);
  await assertRedisReachable(config.REDIS_URL);
  const redis = connectRedis(config.REDIS_URL, (message) => services.logger.warn(message));
  const lease = await acquireWaveLease(redis, config.QUEUE_PREFIX, waveName, config.WAVE_LEASE_MS).catch(
    async (error) => {
      redis.disconnect();
      throw error;
    },
  );
  const queue = new Queue(WAVE_QUEUE, { connection: redis, prefix: config.QUEUE_PREFIX });
  const eventsConnection = connectRedis(config.REDIS_URL);
  const events = new QueueEvents(WAVE_QUEUE, { connection: eventsConnection, prefix: config.QUEUE_PREFIX });
  const workers: Worker[] = [];
  let poller: NodeJS.Timeout | undefined;
  /** When the wave's last job finished: from then on the ETA counts the run's end down. */
  let flowDoneAt: number | undefined;
  let statistics: { stop(): Promise<void> } | undefined;
  try {
    const partners = await listWavePartners(target, wave.id);
    const unfinished = await findUnfinishedRun(target, wave.id);
    const resumed = unfinished !== undefined;
    const run =
      unfinished ?? (await createRun(target, { kind: 'wave', waveId: wave.id, watermark: await source.watermark() }));
    const partnerIds = partners.map((partner) => partner.legacy_partner_id);
    if (!run.watermark) throw new ContractViolationError(`run ${run.id} of wave "${waveName}" has no source watermark`);
    const watermark = run.watermark;
    const runKey = runKeyOf(run);
    await setWaveStatus(target, wave.id, 'running');
    const plan = await planWaveFlow(source, {
      environment: services.environment,
      runId: run.id,
      runKey,
      waveId: wave.id,
      waveName,
      watermark,
      partnerIds,
      partitionSize: config.PARTITION_SIZE,
      batchPartners: config.BATCH_PARTNERS,
      batchRows: config.BATCH_ROWS,
      verify: options.verify !== false,
    });
    options.onStart?.({
      runId: run.id,
      resumed,
      partners: partnerIds.length,
      expectedRows: plan.expectedRows,
      partitionJobs: plan.partitionJobs,
      batchJobs: plan.batchJobs,
    });

    await events.waitUntilReady();
    const waveJobId = jobIds.wave(runKey);
    // (Re)adds the run's flow. Every job id is the run's, and every job skips committed work, so
    // adding it again (a Redis that forgot it) redoes nothing that is done.
    const addFlow = async () => {
      const producer = new FlowProducer({ connection: redis, prefix: config.QUEUE_PREFIX });
      try {
        return (await producer.add(plan.flow)).job;
      } finally {
        await producer.close();
      }
    };
    let waveJob = await queue.getJob(waveJobId);
    if (!waveJob) {
      // A new run loads every partner again; a resumed one keeps what its partners reached.
      const keep = resumed ? new Set(['loaded', 'verified', 'cutover', 'done']) : new Set<string>();
      const toLoad = partners.filter((partner) => partner.state !== 'loading' && !keep.has(partner.state));
      await setPartnersState(
        target,
        wave.id,
        toLoad.map((partner) => partner.legacy_partner_id),
        'loading',
      );
      waveJob = await addFlow();
    }
    if (options.localWorker !== false) workers.push(createWaveWorker(services));
    statistics = keepStatistics(services);

    if (options.onProgress) {
      const eta = new EtaEstimator();
      const verifying = options.verify !== false;
      const finishing = finishingMs(partnerIds.length, plan.expectedRows, verifying);
      const report = async () => {
        const [counts, states] = await Promise.all([
          sumCheckpointCounts(target, run.id),
          listPartnerStates(target, wave.id),
        ]);
        const rows = legacyRowsRead(counts);
        const partnersDone = states.filter((partner) => FINISHED_STATES.has(partner.state)).length;
        eta.add({
          atMs: Date.now(),
          ...etaWorkDone(Math.min(rows, plan.expectedRows), states, plan, verifying),
        });
        options.onProgress?.({
          partnersDone,
          partnersTotal: partnerIds.length,
          rows: Math.min(rows, plan.expectedRows),
          rowsTotal: plan.expectedRows,
          // Once the last job is done, what is left is the run's end, counted down.
          etaMs:
            flowDoneAt === undefined
              ? eta.remainingMs(
                  { rows: plan.expectedRows * (verifying ? 2 : 1), partners: plan.batchedPartners.size },
                  finishing,
                )
              : Math.max(0, finishing - (Date.now() - flowDoneAt)),
        });
      };
      poller = setInterval(() => void report().catch(() => undefined), 1000);
    }

    // Waits for the wave job; should Redis lose it (restarted without persistence), the flow is
    // added again rather than waited for forever.
    let finished = waveJob.waitUntilFinished(events).catch(() => undefined);
    const waitUntil = Date.now() + config.WAVE_RUN_TIMEOUT;
    for (;;) {
      const state = await queue.getJobState(waveJobId).catch(() => 'unknown');
      if (state === 'completed' || state === 'failed') break;
      if (Date.now() >= waitUntil)
        throw new WaitTimeoutError(
          `wave "${waveName}" (run ${run.id}) did not finish within ${describeMs(config.WAVE_RUN_TIMEOUT)} ` +
            '(WAVE_RUN_TIMEOUT): its jobs stay queued and `ppm worker` processes go on with them; ' +
            `\`ppm status\` shows where it is, and \`ppm wave run ${waveName}\` waits for it again`,
        );
      if (state === 'unknown') {
        services.logger.warn({ wave: waveName, run: run.id }, "the wave's jobs are gone from Redis; adding them again");
        waveJob = await addFlow();
        finished = waveJob.waitUntilFinished(events).catch(() => undefined);
      }
      const pause = Math.max(0, Math.min(5000, waitUntil - Date.now()));
      await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, pause))]);
    }
    await statistics.stop();
    const flowDone = Date.now();
    flowDoneAt = flowDone;
    // Planner statistics and the report do not wait for each other.
    const analyzing = analyzeLoadedTables(target).then(() => Date.now() - flowDone);
    analyzing.catch(() => undefined);
    const final = await listWavePartners(target, wave.id);
    const failed = final
      .filter((partner) => partner.state === 'failed' || !FINISHED_STATES.has(partner.state))
      .map((partner) => ({
        partnerId: partner.legacy_partner_id,
        reason: partner.failure_reason ?? (partner.state === 'failed' ? null : `left in state ${partner.state}`),
      }));
    let reportSha256: string | undefined;
    if (options.verify !== false) {
      // A loaded partner that is not verified failed a check: the wave names it and the failed checks.
      const results = await readRecordedResults<CheckResult>(target, run.id);
      const failedChecks = new Map<number, string[]>();
      for (const result of results) {
        if (!result.passed)
          failedChecks.set(result.partnerId, [
            ...(failedChecks.get(result.partnerId) ?? []),
            `${result.check}/${result.entity}`,
          ]);
      }
      for (const partner of final.filter((p) => p.state === 'loaded')) {
        const checks = failedChecks.get(partner.legacy_partner_id) ?? [];
        failed.push({
          partnerId: partner.legacy_partner_id,
          reason: `verification failed: ${checks.join(', ') || 'not verified'}`,
        });
      }
      reportSha256 = (
        await sealRunReport(services, { runId: run.id, runKind: 'wave', waveName, watermark }, partnerIds, { results })
      ).sha256;
    }
    const sealMs = Date.now() - flowDone;
    const analyzeMs = await analyzing;
    services.logger.info(
      { wave: waveName, run: run.id, loadMs: flowDone - started, analyzeMs, sealMs },
      'wave run finished',
    );
    const counts = await sumCheckpointCounts(target, run.id);
    await finishRun(target, run.id, failed.length > 0 ? 'failed' : 'succeeded', counts);
    await setWaveStatus(target, wave.id, failed.length > 0 ? 'failed' : 'succeeded');
    if (options.onProgress) {
      const rows = legacyRowsRead(counts);
      options.onProgress({
        partnersDone: partnerIds.length,
        partnersTotal: partnerIds.length,
        rows,
        rowsTotal: Math.max(rows, plan.expectedRows),
        etaMs: 0,
      });
    }
    let cutover: WaveRunResult['cutover'];
    if (options.verify !== false && options.cutover !== false) {
      // Only verified partners are cut over; the effects are performed by this process's
      // effect workers, or by those of `ppm worker` processes.
      const { recorded, effects } = await recordAndAwaitEffects(
        services,
        wave.id,
        () => cutoverWave(services, waveName),
        {
          localWorkers: options.localWorker !== false,
          onProgress: options.onEffects,
        },
      );
      cutover = { partners: recorded.cutover, closed: recorded.closed, effects };
    }
    return {
      runId: run.id,
      resumed,
      partners: partnerIds.length,
      failed,
      counts,
      elapsedMs: Date.now() - started,
      reportSha256,
      cutover,
    };
  } finally {
    if (poller) clearInterval(poller);
    await statistics?.stop();
    await Promise.allSettled(workers.map((worker) => worker.close()));
    await Promise.allSettled([events.close(), queue.close()]);
    await lease.release().catch(() => undefined);
    redis.disconnect();
    eventsConnection.disconnect();
  }
}
