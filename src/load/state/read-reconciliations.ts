import type { Knex } from 'knex';
import { decodeMoneyRows, type ReconciliationResult } from './insert-reconciliations';

/** A stored `detail`: the result but its columns, its money facts (if any) as rows. */
type StoredDetail = Record<string, unknown> & { facts?: Record<string, unknown> & { moneyRows?: string } };

interface StoredRow {
  check: string;
  entity: string;
  legacy_partner_id: number;
  expected: string;
  actual: string;
  passed: boolean;
  detail: StoredDetail;
}

/**
 * The result a stored row holds: its columns, no discrepancies unless `detail` lists some, and
 * `detail` (a row stored before `detail` left the columns out holds them there too, the same
 * values), money facts as objects again.
 */
function resultOf<Result>(row: StoredRow): Result {
  const { detail } = row;
  const result = {
    check: row.check,
    entity: row.entity,
    partnerId: row.legacy_partner_id,
    expected: row.expected,
    actual: row.actual,
    passed: row.passed,
    discrepancies: [],
    discrepanciesTotal: 0,
    ...detail,
  };
  const rows = detail.facts?.moneyRows;
  if (rows === undefined) return result as Result;
  const { moneyRows: _rows, ...facts } = detail.facts!;
  return { ...result, facts: { ...facts, money: decodeMoneyRows(rows) } } as Result;
}

/** The check results recorded for a run (optionally one partner's), in the order they were written. */
export async function readReconciliations<Result extends ReconciliationResult>(
  db: Knex,
  runId: string,
  partnerId?: number,
): Promise<Result[]> {
  const query = db('migration.reconciliations')
    .select('check', 'entity', 'legacy_partner_id', 'expected', 'actual', 'passed', 'detail')
    .where({ run_id: runId })
    .orderBy('id');
  if (partnerId !== undefined) query.andWhere({ legacy_partner_id: partnerId });
  return (await query).map((row: StoredRow) => resultOf<Result>(row));
}

/**
 * The same results as `readReconciliations` (check, entity, partner, expected, actual, passed,
 * discrepancies, their total and facts, money facts as objects), each field read out of
 * `detail` in the database (pending rows too): a wave of thousands of partners has tens of thousands of results,
 * and turning every whole `detail` into JSON text and parsing it back was most of the time it
 * took to seal the wave's report. Discrepancies are read only where there are some.
 */
export async function readRecordedResults<Result extends ReconciliationResult>(
  db: Knex,
  runId: string,
): Promise<Result[]> {
  const { rows } = await db.raw<{ rows: RecordedRow[] }>(
    // One detoast of each detail (jsonb_to_record), not one per field read out of it.
    `SELECT r."check", r.entity, r.legacy_partner_id AS pid, r.expected, r.actual, r.passed,
            coalesce(d."discrepanciesTotal", 0) AS total,
            CASE WHEN jsonb_array_length(d.discrepancies) > 0 THEN d.discrepancies END AS discrepancies,
            d.facts - 'moneyRows' AS facts, d.facts->>'moneyRows' AS money, d.pending
       FROM migration.reconciliations r
       CROSS JOIN LATERAL jsonb_to_record(r.detail)
         AS d("discrepanciesTotal" int, discrepancies jsonb, facts jsonb, pending jsonb)
      WHERE r.run_id = ? ORDER BY r.id`,
    [runId],
  );
  return rows.map((row) => {
    const result: Record<string, unknown> = {
      check: row.check,
      entity: row.entity,
      partnerId: row.pid,
      expected: row.expected,
      actual: row.actual,
      passed: row.passed,
      discrepancies: row.discrepancies ?? [],
      discrepanciesTotal: row.total,
    };
    if (row.pending !== null) result.pending = row.pending;
    if (row.facts !== null)
      result.facts = row.money === null ? row.facts : { ...row.facts, money: decodeMoneyRows(row.money) };
    return result as unknown as Result;
  });
}

interface RecordedRow {
  check: string;
  entity: string;
  pid: number;
  expected: string;
  actual: string;
  passed: boolean;
  total: number;
  discrepancies: unknown[] | null;
  facts: Record<string, unknown> | null;
  money: string | null;
  /** Legacy rows changed after the watermark that explained would-be discrepancies (settlePending). */
  pending: unknown[] | null;
}
