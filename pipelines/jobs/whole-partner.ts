import { mergeBatchResults, type BatchResult } from '../../src/core/outcomes';
import type { LegacyOrder, LegacyOrderLine } from '../../src/core/legacy-model';
import { readCheckpoint, withLoadTransaction, writeBatch } from '../../src/load';
import {
  licenseeLookup,
  replaySubscriptions,
  toReplayOrders,
  transformInvoices,
  transformOrders,
} from '../../src/transform';
import type { PartnerJobData } from './payloads';
import { transformCore } from './partition-job';
import type { Services } from '../services';

/** Checkpoint key of a partner loaded whole. */
export const WHOLE_JOB_KEY = 'whole';

/**
 * Loads a small partner in one job and one transaction: core, orders, invoices and the
 * subscription replay (from the orders just read, not read back from the archive). For a
 * partner of a few thousand rows the queue and transaction round trips of separate partition
 * jobs cost more than the work; the partner is at most PARTITION_SIZE rows, so it fits in memory.
 */
export async function loadWholePartner(services: Services, data: PartnerJobData): Promise<void> {
  const checkpoint = await readCheckpoint(services.target, data.runId, data.partnerId, WHOLE_JOB_KEY);
  if (checkpoint?.done) return;
  const context = await services.transformContext();
  const options = { watermark: data.watermark, batchSize: services.config.BATCH_SIZE };
  const core = await transformCore(services, data, context);
  const licensees = licenseeLookup(core.decision, core.customers);
  const results: BatchResult[] = [core.result];
  const orders: LegacyOrder[] = [];
  const orderLines: LegacyOrderLine[] = [];
  const readOrders = async () => {
    for await (const page of services.source.streamOrders(data.partnerId, options)) {
      results.push(transformOrders(core.decision, page.rows, page.lines, licensees, context));
      orders.push(...page.rows);
      orderLines.push(...page.lines);
    }
  };
  const invoiceResults: BatchResult[] = [];
  const readInvoices = async () => {
    for await (const page of services.source.streamInvoices(data.partnerId, options)) {
      invoiceResults.push(transformInvoices(core.decision, page.rows, page.lines, context));
    }
  };
  await Promise.all([readOrders(), readInvoices()]);
  const replayed = core.decision.outcome === 'migrated' ? toReplayOrders(orders, orderLines) : [];
  const result = mergeBatchResults(
    ...results,
    ...invoiceResults,
    replaySubscriptions(core.decision, replayed, licensees),
  );
  await withLoadTransaction(services.target, (tx) =>
    writeBatch(tx, result, {
      runId: data.runId,
      partnerId: data.partnerId,
      jobKey: WHOLE_JOB_KEY,
      cursor: null,
      done: true,
      counts: result.counts,
    }),
  );
}
