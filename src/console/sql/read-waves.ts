import type { Knex } from 'knex';

/** A wave as the waves page lists it: partners per state and its latest run. */
export interface WaveListRow {
  id: number;
  name: string;
  status: string;
  plannedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  partners: number;
  states: Record<string, number>;
  latestRun: { id: string; kind: string; status: string; startedAt: string; finishedAt: string | null } | null;
}

/** Every wave with its partners counted per state (one grouped scan) and its latest run. */
export async function readWaves(db: Knex): Promise<WaveListRow[]> {
  const { rows } = await db.raw<{
    rows: Array<{
      id: string;
      name: string;
      status: string;
      planned_at: string;
      started_at: string | null;
      finished_at: string | null;
      states: Record<string, number> | null;
      run: WaveListRow['latestRun'];
    }>;
  }>(`
    SELECT w.id, w.name, w.status, w.planned_at, w.started_at, w.finished_at,
           (SELECT jsonb_object_agg(s.state, s.n)
              FROM (SELECT state, count(*)::int AS n FROM migration.wave_partners
                     WHERE wave_id = w.id GROUP BY state) s) AS states,
           (SELECT jsonb_build_object('id', r.id::text, 'kind', r.kind, 'status', r.status,
                                      'startedAt', r.started_at, 'finishedAt', r.finished_at)
              FROM migration.runs r WHERE r.wave_id = w.id ORDER BY r.id DESC LIMIT 1) AS run
      FROM migration.waves w
     ORDER BY w.id DESC`);
  return rows.map((row) => {
    const states = row.states ?? {};
    return {
      id: Number(row.id),
      name: row.name,
      status: row.status,
      plannedAt: row.planned_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      partners: Object.values(states).reduce((sum, n) => sum + n, 0),
      states,
      latestRun: row.run,
    };
  });
}
