import { ContractViolationError } from '../src/core/errors';
import type { LegacyCustomer } from '../src/core/legacy-model';
import type { Page } from '../src/extract/source-reader';
import { readReplayOrders, setPartnerState, withLoadTransaction, writeBatch } from '../src/load';
import { decidePartner, licenseeLookup, replaySubscriptions } from '../src/transform';
import type { PartnerJobData, PartitionKind } from './job-payloads';
import { loadPartition } from './partition-job';
import type { Services } from './services';
import { verifyAndRecordPartner } from './verify-wave';

async function collect<Row>(pages: AsyncIterable<Page<Row>>): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const page of pages) for (const row of page.rows) rows.push(row);
  return rows;
}

/**
 * Runs when every partition of a partner has loaded (or, for a small partner, loads them itself first): replays the partner's completed orders
 * from the archive into agreements and subscriptions, then marks the partner `loaded`; then
 * (unless the job says not to) verifies it and marks it `verified` when every check passed.
 */
export async function processPartnerJob(services: Services, data: PartnerJobData): Promise<void> {
  if (data.whole) {
    // A small partner is one job: a job per partition would cost more in queue round trips than in work.
    const { verify: _verify, whole: _whole, ...common } = data;
    for (const kind of ['core', 'orders', 'invoices'] as PartitionKind[]) {
      await loadPartition(services, { ...common, kind, partition: { index: 0 } }, async () => undefined);
    }
  }
  const context = await services.transformContext();
  const partner = await services.source.readPartner(data.partnerId, data.watermark);
  if (!partner) throw new ContractViolationError(`partner ${data.partnerId} does not exist in the legacy database`);
  const decision = decidePartner(partner, context);
  const customers: LegacyCustomer[] = await collect(
    services.source.streamCustomers(data.partnerId, { watermark: data.watermark, batchSize: services.config.BATCH_SIZE }),
  );
  const licensees = licenseeLookup(decision, customers);
  const orders = decision.outcome === 'migrated' ? await readReplayOrders(services.target, data.partnerId) : [];
  const result = replaySubscriptions(decision, orders, licensees);
  await withLoadTransaction(services.target, async (tx) => {
    await writeBatch(tx, result, { runId: data.runId, partnerId: data.partnerId, jobKey: 'subscriptions', cursor: null, done: true, counts: result.counts });
  });
  await setPartnerState(services.target, data.waveId, data.partnerId, 'loaded');
  if (data.verify !== false) {
    await verifyAndRecordPartner(services, { runId: data.runId, waveId: data.waveId }, data.partnerId, data.watermark);
  }
}
