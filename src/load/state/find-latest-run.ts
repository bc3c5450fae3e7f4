import type { Knex } from 'knex';

/** The latest run of a kind for a wave (its watermark is what the target was loaded up to). */
export async function findLatestRun(
  db: Knex,
  waveId: number,
  kind: string,
): Promise<{ id: string; watermark: string | null; status: string } | undefined> {
  const row = await db('migration.runs')
    .first('id', 'watermark', 'status')
    .where({ wave_id: String(waveId), kind })
    .orderBy('id', 'desc');
  return row
    ? { id: String(row.id), watermark: row.watermark === null ? null : String(row.watermark), status: row.status }
    : undefined;
}
