import type { Knex } from 'knex';

/** Outbox rows of one kind in one state. */
export interface OutboxCount {
  kind: string;
  state: string;
  count: number;
}

/** Outbox rows per kind and state, of one wave or of all. */
export async function readOutboxCounts(db: Knex, options: { waveId?: number } = {}): Promise<OutboxCount[]> {
  const { rows } = await db.raw<{ rows: Array<{ kind: string; state: string; n: number }> }>(
    `SELECT kind, state, count(*)::int AS n
       FROM migration.outbox
      WHERE ?::bigint IS NULL OR wave_id = ?::bigint
      GROUP BY 1, 2
      ORDER BY 1, 2`,
    [options.waveId ?? null, options.waveId ?? null],
  );
  return rows.map((row) => ({ kind: row.kind, state: row.state, count: row.n }));
}
