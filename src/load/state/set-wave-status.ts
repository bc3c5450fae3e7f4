import type { Knex } from 'knex';

/** What a wave's row says of its latest run. */
export type WaveStatus = 'planned' | 'running' | 'succeeded' | 'failed';

/**
 * Stamps a wave's run on its row: `running` with the start time (the finish time cleared) when a
 * run starts or resumes, `succeeded` or `failed` with the finish time when it ends.
 */
export async function setWaveStatus(db: Knex, waveId: number, status: Exclude<WaveStatus, 'planned'>): Promise<void> {
  const stamps = status === 'running' ? { started_at: db.fn.now(), finished_at: null } : { finished_at: db.fn.now() };
  await db('migration.waves')
    .update({ status, ...stamps })
    .where({ id: String(waveId) });
}
