import type { Knex } from 'knex';
import type { Entity } from '../../core/legacy-model';
import { addCounts } from '../../core/outcomes';
import type { CountsByEntity } from './load-records';

/** Options of sumCheckpointCounts. */
export interface SumCheckpointCountsOptions {
  /** Only this partner's jobs. */
  partnerId?: number;
}

/** Per-entity totals of a run's checkpoints (each holds its job's cumulative counts). */
export async function sumCheckpointCounts(
  db: Knex,
  runId: string,
  options: SumCheckpointCountsOptions = {},
): Promise<CountsByEntity> {
  const query = db('migration.checkpoints as c')
    .select(db.raw('e.key AS entity'))
    .select(db.raw(`sum((e.value->>'extracted')::bigint) AS extracted`))
    .select(db.raw(`sum((e.value->>'loaded')::bigint) AS loaded`))
    .select(db.raw(`sum((e.value->>'quarantined')::bigint) AS quarantined`))
    .select(db.raw(`sum((e.value->>'skipped')::bigint) AS skipped`))
    .joinRaw('CROSS JOIN LATERAL jsonb_each(c.counts) AS e')
    .where('c.run_id', String(runId))
    .groupByRaw('e.key');
  if (options.partnerId !== undefined) query.where('c.legacy_partner_id', options.partnerId);
  const rows = (await query) as Array<{
    entity: Entity;
    extracted: string | null;
    loaded: string | null;
    quarantined: string | null;
    skipped: string | null;
  }>;
  const totals: CountsByEntity = {};
  for (const row of rows) {
    addCounts(totals, {
      [row.entity]: {
        extracted: Number(row.extracted ?? 0),
        loaded: Number(row.loaded ?? 0),
        quarantined: Number(row.quarantined ?? 0),
        skipped: Number(row.skipped ?? 0),
      },
    });
  }
  return totals;
}
