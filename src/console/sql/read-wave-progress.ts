import type { Knex } from 'knex';
import { sumCheckpointCounts } from '../../load';

/** What the live panel of a wave shows: its partners per state and its latest run's rows. */
export interface WaveProgress {
  waveStatus: string;
  states: Record<string, number>;
  partners: number;
  run: { id: string; kind: string; status: string; startedAt: string; finishedAt: string | null } | null;
  /** Legacy rows the latest wave run has read (extracted), from its checkpoints. */
  rows: number;
  /** Per entity: extracted, loaded, quarantined, skipped. */
  entities: Record<string, { extracted: number; loaded: number; quarantined: number; skipped: number }>;
}

/** The wave's partners per state and its latest wave run's checkpoint totals: two grouped reads. */
export async function readWaveProgress(db: Knex, waveId: number): Promise<WaveProgress> {
  const { rows } = await db.raw<{
    rows: Array<{ status: string; states: Record<string, number> | null; run: WaveProgress['run'] }>;
  }>(
    `SELECT w.status,
            (SELECT jsonb_object_agg(s.state, s.n)
               FROM (SELECT state, count(*)::int AS n FROM migration.wave_partners
                      WHERE wave_id = w.id GROUP BY state) s) AS states,
            (SELECT jsonb_build_object('id', r.id::text, 'kind', r.kind, 'status', r.status,
                                       'startedAt', r.started_at, 'finishedAt', r.finished_at)
               FROM migration.runs r WHERE r.wave_id = w.id AND r.kind = 'wave' ORDER BY r.id DESC LIMIT 1) AS run
       FROM migration.waves w WHERE w.id = ?`,
    [waveId],
  );
  const row = rows[0];
  const states = row?.states ?? {};
  const entities: WaveProgress['entities'] = {};
  let read = 0;
  if (row?.run) {
    const counts = await sumCheckpointCounts(db, row.run.id);
    for (const [entity, c] of Object.entries(counts)) {
      if (!c) continue;
      entities[entity] = { extracted: c.extracted, loaded: c.loaded, quarantined: c.quarantined, skipped: c.skipped };
      read += c.extracted;
    }
  }
  return {
    waveStatus: row?.status ?? 'unknown',
    states,
    partners: Object.values(states).reduce((sum, n) => sum + n, 0),
    run: row?.run ?? null,
    rows: read,
    entities,
  };
}
