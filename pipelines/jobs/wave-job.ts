import type { Job } from 'bullmq';
import { finishRun, listWavePartners, sumCheckpointCounts } from '../../src/load';
import type { WaveJobData } from './payloads';
import type { Services } from '../services';

/** What a finished wave run reports. */
export interface WaveOutcome {
  runId: string;
  partners: number;
  failed: { partnerId: number; reason: string | null }[];
}

/**
 * The root of a wave's flow: runs once every partner job has finished or failed (failures are
 * ignored dependencies, so one partner cannot hold the wave), and closes the run.
 */
export async function processWaveJob(services: Services, _job: Job, data: WaveJobData): Promise<WaveOutcome> {
  const partners = await listWavePartners(services.target, data.waveId);
  const failed = partners
    .filter((partner) => partner.state === 'failed')
    .map((partner) => ({ partnerId: partner.legacy_partner_id, reason: partner.failure_reason ?? null }));
  const counts = await sumCheckpointCounts(services.target, data.runId);
  await finishRun(services.target, data.runId, failed.length > 0 ? 'failed' : 'succeeded', counts);
  return { runId: data.runId, partners: partners.length, failed };
}
