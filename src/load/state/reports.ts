import type { Knex } from 'knex';

/** A stored report as the hash chain needs it (the verify stage's `StoredReport`). */
export interface StoredReportRow {
  id: string;
  runId: string;
  body: unknown;
  sha256: string;
  previousSha256: string | null;
}

/** The sha256 of the last sealed report (the chain's head), read under a lock so two seals cannot fork the chain. */
export async function readLastSeal(trx: Knex.Transaction): Promise<string | null> {
  await trx.raw('LOCK TABLE migration.reports IN SHARE ROW EXCLUSIVE MODE');
  const row = await trx('migration.reports').first('sha256').orderBy('id', 'desc');
  return row?.sha256 ?? null;
}

export async function insertReport(
  trx: Knex.Transaction,
  runId: string,
  body: unknown,
  sha256: string,
  previousSha256: string | null,
  /** The body's JSON when the caller has it already (its canonical JSON, written for the seal). */
  bodyJson: string = JSON.stringify(body),
): Promise<void> {
  await trx('migration.reports').insert({
    run_id: runId,
    body: bodyJson,
    sha256,
    previous_sha256: previousSha256,
  });
}

/** Every stored report in sealing order. */
export async function readReports(db: Knex): Promise<StoredReportRow[]> {
  const rows = await db('migration.reports').select('id', 'run_id', 'body', 'sha256', 'previous_sha256').orderBy('id');
  return rows.map(
    (row: { id: string; run_id: string; body: unknown; sha256: string; previous_sha256: string | null }) => ({
      id: String(row.id),
      runId: String(row.run_id),
      body: row.body,
      sha256: row.sha256,
      previousSha256: row.previous_sha256,
    }),
  );
}

/** The latest report of a wave's runs (verify runs, or wave runs that verified). */
export async function readLatestReport(
  db: Knex,
  waveId: number,
): Promise<{ body: unknown; sha256: string } | undefined> {
  const row = await db('migration.reports as r')
    .join('migration.runs as u', 'u.id', 'r.run_id')
    .first('r.body', 'r.sha256')
    .where('u.wave_id', String(waveId))
    .orderBy('r.id', 'desc');
  return row ? { body: row.body, sha256: row.sha256 } : undefined;
}

/** The report sealed for a run, if there is one: a run resumed after it sealed keeps that seal. */
export async function readRunReport(db: Knex, runId: string): Promise<{ body: unknown; sha256: string } | undefined> {
  const row = await db('migration.reports').first('body', 'sha256').where({ run_id: runId });
  return row ? { body: row.body, sha256: row.sha256 } : undefined;
}
