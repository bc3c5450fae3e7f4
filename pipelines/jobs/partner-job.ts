import { ContractViolationError } from '../../src/core/errors';
import type { LegacyCustomer } from '../../src/core/legacy-model';
import type { ReplayOrder } from '../../src/core/replay-model';
import {
  hasRefusalsInRun,
  listPartnerStates,
  readReplayOrders,
  setPartnerState,
  withLoadTransaction,
  writeBatch,
} from '../../src/load';
import { decidePartner, licenseeLookup, replaySubscriptions, type TransformContext } from '../../src/transform';
import type { PartnerJobData } from './payloads';
import { collectRows } from '../../src/extract/collect-rows';
import type { Services } from '../services';
import { readMigratedCustomers } from '../commands/migrated-customers';
import { verifyAndRecordPartner } from '../commands/verify-wave';
import { partnerContext, rewriteArchive } from './partition-job';

/**
 * One big partner of the wave, after its partition jobs have loaded it: when its core was refused
 * a row, writes its orders and invoices again under the refusal; replays its completed
 * orders from the archive into agreements and subscriptions. Then the partner is `loaded`, and
 * (unless the job says not to) verified: `verified` when every check passed. Small partners go
 * in batches (batch-job.ts).
 */
export async function processPartnerJob(services: Services, data: PartnerJobData): Promise<void> {
  // Added again after Redis lost the flow: a partner already verified in this run is left as it is.
  const [member] = await listPartnerStates(services.target, data.waveId, [data.partnerId]);
  if (member && ['verified', 'cutover', 'done'].includes(member.state)) return;
  const context = await partnerContext(services, data.partnerId, await services.transformContext());
  if (await hasRefusalsInRun(services.target, data.partnerId, data.runId))
    await rewriteArchive(services, data, context);
  const replayed = await replayFromArchive(services, data, context);
  await setPartnerState(services.target, data.waveId, data.partnerId, 'loaded');
  if (data.verify !== false) {
    // Its history as just read from its archive and replayed: verification does not read it again.
    await verifyAndRecordPartner(services, { runId: data.runId, waveId: data.waveId }, data.partnerId, data.watermark, {
      replayOrders: new Map([[data.partnerId, replayed]]),
    });
  }
}

/**
 * A partitioned partner's subscriptions: its completed orders read back from the archive its
 * partitions wrote, replayed and written. Returns the orders replayed.
 */
async function replayFromArchive(
  services: Services,
  data: PartnerJobData,
  context: TransformContext,
): Promise<ReplayOrder[]> {
  const partner = await services.source.readPartner(data.partnerId, data.watermark);
  if (!partner) throw new ContractViolationError(`partner ${data.partnerId} does not exist in the legacy database`);
  const decision = decidePartner(partner, context);
  const customers: LegacyCustomer[] = await collectRows(
    services.source.streamCustomers(data.partnerId, {
      watermark: data.watermark,
      batchSize: services.config.BATCH_SIZE,
    }),
  );
  const licensees = licenseeLookup(decision, customers, {
    ...context,
    migratedCustomers: await readMigratedCustomers(services.target, customers),
  });
  const orders = decision.outcome === 'migrated' ? await readReplayOrders(services.target, data.partnerId) : [];
  const result = replaySubscriptions(decision, orders, licensees);
  await withLoadTransaction(services.target, async (tx) => {
    await writeBatch(tx, result, {
      runId: data.runId,
      partnerId: data.partnerId,
      jobKey: 'subscriptions',
      cursor: null,
      done: true,
      counts: result.counts,
    });
  });
  return orders;
}
