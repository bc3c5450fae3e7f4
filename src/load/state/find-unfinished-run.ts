import type { Knex } from 'knex';
import type { Run } from './load-records';
import { toRun } from './wave-rows';

/** The latest run of a wave that has not finished (to resume it), or undefined. */
export async function findUnfinishedRun(db: Knex, waveId: number, kind = 'wave'): Promise<Run | undefined> {
  const row = await db('migration.runs')
    .first('*')
    .where({ wave_id: String(waveId), kind })
    .whereNull('finished_at')
    .orderBy('id', 'desc');
  return row ? toRun(row) : undefined;
}
