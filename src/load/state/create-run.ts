import type { Knex } from 'knex';
import type { Run } from './load-records';
import { toRun } from './wave-rows';

/** Options of createRun. */
export interface CreateRunOptions {
  /** `wave`, `sync`, `verify`, ... */
  kind: string;
  waveId?: number | null;
  /** The source watermark the run reads up to, as an unsigned decimal integer in text. */
  watermark?: string | null;
}

/** Starts a run (status `running`). */
export async function createRun(db: Knex, options: CreateRunOptions): Promise<Run> {
  const [row] = await db('migration.runs')
    .insert({
      kind: options.kind,
      wave_id: options.waveId == null ? null : String(options.waveId),
      watermark: options.watermark ?? null,
    })
    .returning('*');
  return toRun(row);
}
