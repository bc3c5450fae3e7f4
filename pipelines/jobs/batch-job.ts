import type { Job } from 'bullmq';
import { isRetryable } from '../../src/core/errors';
import type { LegacyPartner } from '../../src/core/legacy-model';
import { mergeBatchResults, type BatchResult } from '../../src/core/outcomes';
import { redactText } from '../../src/core/redact';
import type { PartnersRows } from '../../src/extract/source-reader';
import {
  listPartnerStates,
  movePartners,
  readDonePartners,
  setPartnerState,
  withLoadTransaction,
  writeBatch,
} from '../../src/load';
import {
  licenseeLookup,
  replaySubscriptions,
  toReplayOrders,
  transformCustomers,
  transformInvoices,
  transformOrders,
  transformPartner,
  transformUsers,
  type TransformContext,
} from '../../src/transform';
import { verifyAndRecordPartners } from '../commands/verify-wave';
import type { KnownInputs } from '../commands/verify-partners';
import type { ReplayOrder } from '../../src/core/replay-model';
import type { Services } from '../services';
import { readMigratedCustomers } from '../commands/migrated-customers';
import type { BatchJobData } from './payloads';
import { withRefusal } from './refused-rows';

/** Checkpoint key of a partner loaded whole, in one transaction (alone or in a batch of small partners). */
export const WHOLE_JOB_KEY = 'whole';

/** One partner's rows out of a batch's. */
export type OnePartnerRows = Omit<PartnersRows, 'partners'> & { partner: LegacyPartner };

/** What a batch job did. */
export interface BatchOutcome {
  /** Legacy rows read. */
  rows: number;
  loaded: number[];
  failed: { partnerId: number; reason: string }[];
  verified: number[];
}

/** Progress a batch job reports to BullMQ. */
export interface BatchProgress {
  rows: number;
}

/** Splits a batch's rows by partner (each list keeps its key order); a partner absent from the legacy database has no entry. */
export function rowsByPartner(rows: PartnersRows): Map<number, OnePartnerRows> {
  const result = new Map<number, OnePartnerRows>();
  for (const partner of rows.partners) {
    result.set(partner.PartnerId, {
      partner,
      users: [],
      customers: [],
      orders: [],
      orderLines: [],
      invoices: [],
      invoiceLines: [],
    });
  }
  const partnerOfOrder = new Map<number, number>();
  const partnerOfInvoice = new Map<number, number>();
  for (const user of rows.users) result.get(user.PartnerId)?.users.push(user);
  for (const customer of rows.customers) result.get(customer.PartnerId)?.customers.push(customer);
  for (const order of rows.orders) {
    partnerOfOrder.set(order.OrderId, order.PartnerId);
    result.get(order.PartnerId)?.orders.push(order);
  }
  for (const invoice of rows.invoices) {
    partnerOfInvoice.set(invoice.InvoiceId, invoice.PartnerId);
    result.get(invoice.PartnerId)?.invoices.push(invoice);
  }
  // A line whose parent lies beyond the watermark has no parent here, as in a partner's own pages:
  // the line's partner is its parent's, so such a line goes with no partner and is not written.
  for (const line of rows.orderLines) {
    const partnerId = partnerOfOrder.get(line.OrderId);
    if (partnerId !== undefined) result.get(partnerId)?.orderLines.push(line);
  }
  for (const line of rows.invoiceLines) {
    const partnerId = partnerOfInvoice.get(line.InvoiceId);
    if (partnerId !== undefined) result.get(partnerId)?.invoiceLines.push(line);
  }
  return result;
}

/** Legacy rows of one partner. */
export function rowCountOf(rows: OnePartnerRows): number {
  return (
    1 +
    rows.users.length +
    rows.customers.length +
    rows.orders.length +
    rows.orderLines.length +
    rows.invoices.length +
    rows.invoiceLines.length
  );
}

/**
 * A small partner, transformed whole: the partner, its users and customers, its orders and
 * invoices, and the subscription replay of its orders (from the rows read, not the archive).
 */
export function transformWholePartner(
  rows: OnePartnerRows,
  context: TransformContext,
  history: ReplayOrder[] = toReplayOrders(rows.orders, rows.orderLines),
): BatchResult {
  const { decision, result: partnerResult } = transformPartner(rows.partner, context);
  const licensees = licenseeLookup(decision, rows.customers, context);
  const results: BatchResult[] = [
    partnerResult,
    transformUsers(decision, rows.users, context),
    transformCustomers(decision, rows.partner, rows.customers, context),
  ];
  // As the paged path: an entity with no rows adds no counts.
  if (rows.orders.length + rows.orderLines.length > 0)
    results.push(transformOrders(decision, rows.orders, rows.orderLines, licensees, context));
  if (rows.invoices.length + rows.invoiceLines.length > 0)
    results.push(transformInvoices(decision, rows.invoices, rows.invoiceLines, context));
  results.push(replaySubscriptions(decision, decision.outcome === 'migrated' ? history : [], licensees));
  return mergeBatchResults(...results);
}

function reasonOf(error: unknown): string {
  return redactText(error instanceof Error ? error.message : String(error));
}

interface Transformed {
  partnerId: number;
  rows: OnePartnerRows;
  context: TransformContext;
  /** Its orders and lines as the subscription replay reads them (its checks take them too). */
  history: ReplayOrder[];
  result: BatchResult;
}

/** A partner's rows transformed with `context` (the refused rows of an earlier attempt in it). */
function transformOne(partnerId: number, rows: OnePartnerRows, context: TransformContext): Transformed {
  const history = toReplayOrders(rows.orders, rows.orderLines);
  return { partnerId, rows, context, history, result: transformWholePartner(rows, context, history) };
}

/**
 * The legacy row behind a refused marketplace row quarantined (`target_refused`): its partner is
 * transformed again with the refusal, so the row and what hangs off it follow the rules of a
 * quarantined row (a refused account quarantines its partner, whose users and customers become
 * `partner_quarantined`; a refused licensee's orders keep no licensee). False when the refused
 * row is no live object's of these partners, or was refused before (nothing left to take out).
 */
function quarantineRefused(some: Transformed[], error: unknown): boolean {
  for (const [index, one] of some.entries()) {
    const refusedRows = withRefusal(one.context.refusedRows, one.result, error);
    if (!refusedRows) continue;
    some[index] = transformOne(one.partnerId, one.rows, { ...one.context, refusedRows });
    return true;
  }
  return false;
}

/**
 * Writes transformed partners in one transaction with one checkpoint row each. A row the target
 * refuses is quarantined and the transaction written again without it (each attempt has one
 * more refused row, found by probing prefixes of its table's rows, so the same rows are refused
 * on every run). When the target refuses the batch for another reason a retry would not change
 * (an archive row, an id map conflict), the partners are written one transaction each, so only
 * the partner at fault fails. Returns the partners written and those refused; a transient
 * failure is thrown.
 */
async function writePartners(
  services: Services,
  runId: string,
  transformed: Transformed[],
): Promise<{ written: number[]; refused: { partnerId: number; reason: string }[] }> {
  const write = async (some: Transformed[]): Promise<void> => {
    for (;;) {
      try {
        await writeOnce(some);
        return;
      } catch (error) {
        if (!quarantineRefused(some, error)) throw error;
        services.logger.warn(
          { partners: some.length, err: error },
          'a row refused by the target is quarantined; writing the batch again',
        );
      }
    }
  };
  const writeOnce = (some: Transformed[]) =>
    withLoadTransaction(services.target, (tx) =>
      writeBatch(
        tx,
        mergeBatchResults(...some.map((one) => one.result)),
        some.map((one) => ({
          runId,
          partnerId: one.partnerId,
          jobKey: WHOLE_JOB_KEY,
          cursor: null,
          done: true,
          counts: one.result.counts,
        })),
      ),
    );
  if (transformed.length === 0) return { written: [], refused: [] };
  try {
    await write(transformed);
    return { written: transformed.map((one) => one.partnerId), refused: [] };
  } catch (error) {
    if (isRetryable(error)) throw error;
    if (transformed.length === 1)
      return { written: [], refused: [{ partnerId: transformed[0].partnerId, reason: reasonOf(error) }] };
    services.logger.warn(
      { partners: transformed.length, err: error },
      'batch refused by the target; writing its partners one by one',
    );
  }
  const written: number[] = [];
  const refused: { partnerId: number; reason: string }[] = [];
  for (const one of transformed) {
    try {
      await write([one]);
      written.push(one.partnerId);
    } catch (error) {
      if (isRetryable(error)) throw error;
      refused.push({ partnerId: one.partnerId, reason: reasonOf(error) });
    }
  }
  return { written, refused };
}

/**
 * What a batch's verification need not read again: the legacy account rows it read (at the run's
 * watermark) and the subscription history it replayed into the marketplace, of the partners it
 * wrote. A partner written under a refusal is left to be read (its archive lacks the refused rows).
 */
function knownInputs(rows: PartnersRows, transformed: Transformed[], written: ReadonlySet<number>): KnownInputs {
  const replayOrders = new Map<number, ReplayOrder[]>();
  for (const one of transformed) {
    if (!written.has(one.partnerId) || (one.context.refusedRows?.size ?? 0) > 0) continue;
    replayOrders.set(one.partnerId, one.history);
  }
  const ofWritten = <Row extends { PartnerId: number }>(some: Row[]) =>
    some.filter((row) => written.has(row.PartnerId));
  return {
    accountRows: {
      partners: ofWritten(rows.partners),
      users: ofWritten(rows.users),
      customers: ofWritten(rows.customers),
    },
    replayOrders,
  };
}

/**
 * A batch of small partners (planWaveFlow packs them up to a row budget): one `PartnerId IN`
 * read per legacy table, each partner transformed whole, one transaction and one checkpoint
 * statement for all of them, then the batch's partners `loaded` and verified together through
 * the grouped statements of `ppm verify`. A row the target refuses is quarantined and its
 * partner goes on; a partner that cannot be loaded (absent from the legacy database, an archive
 * row or id map entry the target refuses) fails alone; the others go on. A partner whose
 * checkpoint is done (a retried or resumed job) is not read again, only verified when it is
 * still `loaded`.
 */
export async function loadPartnerBatch(
  services: Services,
  data: BatchJobData,
  onRows: (rows: number) => Promise<void> = async () => undefined,
): Promise<BatchOutcome> {
  const { target, source, config } = services;
  const members = new Map(
    (await listPartnerStates(target, data.waveId, data.partnerIds)).map((member) => [
      member.legacy_partner_id,
      member.state,
    ]),
  );
  const done = await readDonePartners(target, data.runId, data.partnerIds, WHOLE_JOB_KEY);
  const todo = data.partnerIds.filter((id) => !done.has(id) && members.get(id) !== 'failed');
  const failed: { partnerId: number; reason: string }[] = [];
  let rowsRead = 0;
  const written: number[] = [];
  let known: KnownInputs | undefined;
  if (todo.length > 0) {
    const context = await services.transformContext();
    // The batch holds at most BATCH_ROWS planned rows (or one partner of at most PARTITION_SIZE):
    // one statement per table.
    const rows = await source.readPartnersRows(
      todo,
      data.watermark,
      Math.max(config.BATCH_SIZE, config.BATCH_ROWS, config.PARTITION_SIZE),
    );
    const byPartner = rowsByPartner(rows);
    const migrated = await readMigratedCustomers(target, rows.customers);
    const transformed: Transformed[] = [];
    for (const partnerId of todo) {
      const own = byPartner.get(partnerId);
      if (!own) {
        failed.push({
          partnerId,
          reason: `partner ${partnerId} does not exist in the legacy database at watermark ${data.watermark}`,
        });
        continue;
      }
      rowsRead += rowCountOf(own);
      try {
        transformed.push(transformOne(partnerId, own, { ...context, migratedCustomers: migrated }));
      } catch (error) {
        if (isRetryable(error)) throw error;
        failed.push({ partnerId, reason: reasonOf(error) });
      }
    }
    const outcome = await writePartners(services, data.runId, transformed);
    written.push(...outcome.written);
    known = knownInputs(rows, transformed, new Set(outcome.written));
    failed.push(...outcome.refused);
    for (const failure of failed) {
      await setPartnerState(target, data.waveId, failure.partnerId, 'failed', `batch: ${failure.reason}`);
    }
    await onRows(rowsRead);
  }
  const failedIds = new Set(failed.map((failure) => failure.partnerId));
  const loadedNow = data.partnerIds.filter((id) => !failedIds.has(id) && (done.has(id) || written.includes(id)));
  // One statement for the batch: those not yet past `loaded` (a resumed batch's verified ones stay).
  await movePartners(target, data.waveId, loadedNow, 'loading', 'loaded');
  let verified: number[] = [];
  if (data.verify !== false) {
    const toVerify = loadedNow.filter((id) => members.get(id) !== 'verified');
    verified = await verifyAndRecordPartners(
      services,
      { runId: data.runId, waveId: data.waveId },
      toVerify,
      data.watermark,
      known,
    );
  }
  return { rows: rowsRead, loaded: loadedNow, failed, verified };
}

/** Processes one batch job of the queue. */
export function processBatchJob(services: Services, job: Job, data: BatchJobData): Promise<BatchOutcome> {
  return loadPartnerBatch(services, data, async (rows) => {
    await job.updateProgress({ rows } satisfies BatchProgress);
  });
}
