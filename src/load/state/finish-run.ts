import type { Knex } from 'knex';
import type { CountsByEntity, Run } from './load-records';
import { toRun } from './wave-rows';

/** Options of finishRun. */
export interface FinishRunOptions {
  watermark?: string | null;
  /** What went wrong, for a failed run. */
  error?: string | null;
}

/** Ends a run: status (`succeeded`, `failed`, ...), finished_at, and optionally its final counts, watermark and error. */
export async function finishRun(
  db: Knex,
  runId: string,
  status: string,
  counts?: CountsByEntity,
  options: FinishRunOptions = {},
): Promise<Run> {
  const changes: Record<string, unknown> = { status, finished_at: db.fn.now(), error: options.error ?? null };
  if (counts) changes.counts = JSON.stringify(counts);
  if (options.watermark !== undefined) changes.watermark = options.watermark;
  const [row] = await db('migration.runs').update(changes).where({ id: runId }).returning('*');
  if (!row) throw new RangeError(`no run ${runId}`);
  return toRun(row);
}
