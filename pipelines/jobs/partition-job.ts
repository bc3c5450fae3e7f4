import type { Job } from 'bullmq';
import type { LegacyCustomer, LegacyPartner, LegacyUser } from '../../src/core/legacy-model';
import { addCounts, mergeBatchResults, type BatchResult, type EntityCounts } from '../../src/core/outcomes';
import type { Entity } from '../../src/core/legacy-model';
import { prefetch } from '../../src/core/prefetch';
import { ContractViolationError } from '../../src/core/errors';
import type { StreamOptions } from '../../src/extract/source-reader';
import { readCheckpoint, withLoadTransaction, writeBatch } from '../../src/load';
import {
  decidePartner,
  licenseeLookup,
  transformCustomers,
  transformInvoices,
  transformOrders,
  transformPartner,
  transformUsers,
  refusalKey,
  type PartnerDecision,
  type TransformContext,
} from '../../src/transform';
import { jobKeyOf, type PartitionJobData } from './payloads';
import { collectRows } from '../../src/extract/collect-rows';
import type { Services } from '../services';
import { readMigratedCustomers } from '../commands/migrated-customers';
import { readRefusedRows } from '../../src/verify';
import { withRefusal } from './refused-rows';

type Counts = Partial<Record<Entity, EntityCounts>>;

/** Progress a job reports to BullMQ after each committed batch. */
export interface PartitionProgress {
  rows: number;
}

async function readPartnerOrFail(
  services: Services,
  data: Pick<PartitionJobData, 'partnerId' | 'watermark'>,
): Promise<LegacyPartner> {
  const partner = await services.source.readPartner(data.partnerId, data.watermark);
  if (!partner)
    throw new ContractViolationError(
      `partner ${data.partnerId} does not exist in the legacy database at watermark ${data.watermark}`,
    );
  return partner;
}

async function readAllCustomers(services: Services, data: PartitionJobData): Promise<LegacyCustomer[]> {
  return collectRows(
    services.source.streamCustomers(data.partnerId, {
      watermark: data.watermark,
      batchSize: services.config.BATCH_SIZE,
    }),
  );
}

/** What the partner core becomes: the partner's decision, its customers (for the licensee lookup) and the batch to write. */
export interface CoreOutcome {
  decision: PartnerDecision;
  customers: LegacyCustomer[];
  result: BatchResult;
  rows: number;
}

/** The legacy rows of a partner's core: the partner, its users and its customers. */
interface CoreRows {
  partner: LegacyPartner;
  users: LegacyUser[];
  customers: LegacyCustomer[];
  migrated: ReadonlySet<number>;
}

/** Small sets, read whole: duplicate e-mails and tenants are decided over the partner's full set. */
async function readCore(services: Services, data: Omit<PartitionJobData, 'kind' | 'partition'>): Promise<CoreRows> {
  const partner = await readPartnerOrFail(services, data);
  const options = { watermark: data.watermark, batchSize: services.config.BATCH_SIZE };
  const [users, customers] = await Promise.all([
    collectRows(services.source.streamUsers(data.partnerId, options)),
    collectRows(services.source.streamCustomers(data.partnerId, options)),
  ]);
  return { partner, users, customers, migrated: await readMigratedCustomers(services.target, customers) };
}

function transformCoreRows({ partner, users, customers, migrated }: CoreRows, context: TransformContext): CoreOutcome {
  const { decision, result: partnerResult } = transformPartner(partner, context);
  const result = mergeBatchResults(
    partnerResult,
    transformUsers(decision, users, context),
    transformCustomers(decision, partner, customers, { ...context, migratedCustomers: migrated }),
  );
  return { decision, customers, result, rows: 1 + users.length + customers.length };
}

/** Reads and transforms the partner itself, its users and its customers. */
export async function transformCore(
  services: Services,
  data: Omit<PartitionJobData, 'kind' | 'partition'>,
  context: TransformContext,
): Promise<CoreOutcome> {
  return transformCoreRows(await readCore(services, data), context);
}

/**
 * The partner core as one job, written in one transaction. A row the target refuses is
 * quarantined `target_refused` and the core written again without it, as in a batch of small
 * partners (batch-job.ts); the partner job then writes its archive again under the refusal.
 */
async function runCore(services: Services, data: PartitionJobData, context: TransformContext): Promise<number> {
  const jobKey = jobKeyOf('core', 0);
  const checkpoint = await readCheckpoint(services.target, data.runId, data.partnerId, jobKey);
  if (checkpoint?.done) return 0;
  const rows = await readCore(services, data);
  let refusedRows = context.refusedRows;
  for (;;) {
    const { result, rows: read } = transformCoreRows(rows, { ...context, refusedRows });
    try {
      await withLoadTransaction(services.target, (tx) =>
        writeBatch(tx, result, {
          runId: data.runId,
          partnerId: data.partnerId,
          jobKey,
          cursor: null,
          done: true,
          counts: result.counts,
        }),
      );
      return read;
    } catch (error) {
      const more = withRefusal(refusedRows, result, error);
      if (!more) throw error;
      refusedRows = more;
      services.logger.warn(
        { partner: data.partnerId, err: error },
        "a row of the partner's core refused by the target is quarantined; writing the core again",
      );
    }
  }
}

/**
 * The transform context of one partner's orders and invoices: with the rows of its core the
 * target refused, as far as they are known (a partition may run before its core).
 */
export async function partnerContext(
  services: Services,
  partnerId: number,
  context: TransformContext,
): Promise<TransformContext> {
  const refused = (await readRefusedRows(services.target, [partnerId])).get(partnerId) ?? [];
  if (refused.length === 0) return context;
  return {
    ...context,
    refusedRows: new Map(refused.map((row) => [refusalKey(row.entity, row.legacyKey), row.detail])),
  };
}

/**
 * A partitioned partner's orders and invoices (with their lines) written again, page by page,
 * through `context` (its core's refused rows in it): a partition that ran before its core was
 * refused a row wrote them as if nothing was, and an upsert changes only the rows that differ.
 */
export async function rewriteArchive(
  services: Services,
  data: Omit<PartitionJobData, 'kind' | 'partition'>,
  context: TransformContext,
): Promise<void> {
  const decision = decidePartner(await readPartnerOrFail(services, data), context);
  for (const kind of ['orders', 'invoices'] as const) {
    const job: PartitionJobData = { ...data, kind, partition: { index: 0 } };
    const options: StreamOptions = { watermark: data.watermark, batchSize: services.config.BATCH_SIZE };
    for await (const page of transformedPages(services, job, decision, context, options)) {
      await withLoadTransaction(services.target, (tx) =>
        writeBatch(tx, page.result, {
          runId: data.runId,
          partnerId: data.partnerId,
          jobKey: `${kind}:refused`,
          cursor: page.cursor,
          done: false,
          counts: {},
        }),
      );
    }
  }
}

/** The pages of a range partition, transformed; the next page is read while one is written. */
async function* transformedPages(
  services: Services,
  data: PartitionJobData,
  decision: PartnerDecision,
  context: TransformContext,
  options: StreamOptions,
): AsyncGenerator<{ result: BatchResult; rows: number; cursor: number }> {
  if (data.kind === 'orders') {
    const customers = await readAllCustomers(services, data);
    const licensees = licenseeLookup(decision, customers, {
      ...context,
      migratedCustomers: await readMigratedCustomers(services.target, customers),
    });
    for await (const page of prefetch(services.source.streamOrders(data.partnerId, options))) {
      yield {
        result: transformOrders(decision, page.rows, page.lines, licensees, context),
        rows: page.rows.length + page.lines.length,
        cursor: page.cursor,
      };
    }
  } else {
    for await (const page of prefetch(services.source.streamInvoices(data.partnerId, options))) {
      yield {
        result: transformInvoices(decision, page.rows, page.lines, context),
        rows: page.rows.length + page.lines.length,
        cursor: page.cursor,
      };
    }
  }
}

/** A key range of the partner's orders (with lines) or invoices (with lines), page by page, each page committed with its checkpoint. */
async function runRange(
  services: Services,
  data: PartitionJobData,
  context: TransformContext,
  onBatch: (rows: number) => Promise<void>,
): Promise<number> {
  const jobKey = jobKeyOf(data.kind, data.partition.index);
  const checkpoint = await readCheckpoint(services.target, data.runId, data.partnerId, jobKey);
  if (checkpoint?.done) return 0;
  const counts: Counts = structuredClone((checkpoint?.counts ?? {}) as Counts);
  const after = checkpoint?.cursor ?? data.partition.after;
  const options: StreamOptions = {
    watermark: data.watermark,
    batchSize: services.config.BATCH_SIZE,
    range: { after, upTo: data.partition.upTo },
  };
  const partner = await readPartnerOrFail(services, data);
  const own = await partnerContext(services, data.partnerId, context);
  const decision = decidePartner(partner, own);

  let rows = 0;
  let cursor = after ?? null;
  for await (const page of transformedPages(services, data, decision, own, options)) {
    addCounts(counts, page.result.counts);
    cursor = page.cursor;
    await withLoadTransaction(services.target, (tx) =>
      writeBatch(tx, page.result, {
        runId: data.runId,
        partnerId: data.partnerId,
        jobKey,
        cursor,
        done: false,
        counts,
      }),
    );
    rows += page.rows;
    await onBatch(page.rows);
  }
  await withLoadTransaction(services.target, (tx) =>
    writeBatch(tx, mergeBatchResults(), {
      runId: data.runId,
      partnerId: data.partnerId,
      jobKey,
      cursor,
      done: true,
      counts,
    }),
  );
  return rows;
}

/** Loads one partition; returns the rows it read. Idempotent: a replay resumes from the checkpoint. */
export async function loadPartition(
  services: Services,
  data: PartitionJobData,
  onBatch: (rows: number) => Promise<void>,
): Promise<number> {
  const context = await services.transformContext();
  if (data.kind === 'core') return runCore(services, data, context);
  return runRange(services, data, context, onBatch);
}

/** Processes one partition job of the queue. */
export async function processPartitionJob(services: Services, job: Job, data: PartitionJobData): Promise<number> {
  return loadPartition(services, data, async (rows) => {
    await job.updateProgress({ rows } satisfies PartitionProgress);
  });
}
