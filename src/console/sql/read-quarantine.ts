import type { Knex } from 'knex';
import { toProblemRow, type ProblemRow } from './read-partner';

/** What the quarantine page filters by; absent fields do not filter. */
export interface QuarantineFilter {
  waveId?: number;
  partnerId?: number;
  entity?: string;
  reason?: string;
  /** `open` (default): not resolved; `resolved`; `all`. */
  status?: 'open' | 'resolved' | 'all';
}

function filtered(db: Knex, filter: QuarantineFilter): Knex.QueryBuilder {
  const query = db('migration.quarantine as q');
  if (filter.waveId !== undefined)
    query.whereExists(
      db('migration.wave_partners as wp')
        .select(db.raw('1'))
        .whereRaw('wp.legacy_partner_id = q.legacy_partner_id')
        .where('wp.wave_id', filter.waveId),
    );
  if (filter.partnerId !== undefined) query.where('q.legacy_partner_id', filter.partnerId);
  if (filter.entity) query.where('q.entity', filter.entity);
  if (filter.reason) query.where('q.reason', filter.reason);
  if ((filter.status ?? 'open') === 'open') query.whereNull('q.resolved_at');
  else if (filter.status === 'resolved') query.whereNotNull('q.resolved_at');
  return query;
}

/** One page of the quarantined rows that match, by id, and how many match. */
export async function readQuarantinePage(
  db: Knex,
  filter: QuarantineFilter,
  options: { limit: number; offset: number },
): Promise<{ rows: ProblemRow[]; total: number }> {
  const [rows, counted] = await Promise.all([
    filtered(db, filter).select('q.*').orderBy('q.id').limit(options.limit).offset(options.offset),
    filtered(db, filter).count<Array<{ n: string }>>('* as n'),
  ]);
  return { rows: rows.map(toProblemRow), total: Number(counted[0]?.n ?? 0) };
}

/** Every quarantined row that matches, in pages of `pageSize` by id (keyset): what the CSV export streams. */
export async function* readQuarantineRows(
  db: Knex,
  filter: QuarantineFilter,
  pageSize = 5000,
): AsyncGenerator<ProblemRow[]> {
  let after = 0n;
  for (;;) {
    const rows = await filtered(db, filter)
      .select('q.*')
      .where('q.id', '>', after.toString())
      .orderBy('q.id')
      .limit(pageSize);
    if (rows.length === 0) return;
    yield rows.map(toProblemRow);
    after = BigInt(rows[rows.length - 1].id);
    if (rows.length < pageSize) return;
  }
}

/** The entities and reasons quarantine holds, for the filter's choices. */
export async function readQuarantineChoices(db: Knex): Promise<{ entities: string[]; reasons: string[] }> {
  const rows: Array<{ entity: string; reason: string }> = await db('migration.quarantine')
    .distinct('entity', 'reason')
    .orderBy(['entity', 'reason']);
  return {
    entities: [...new Set(rows.map((row) => row.entity))],
    reasons: [...new Set(rows.map((row) => row.reason))].sort(),
  };
}
