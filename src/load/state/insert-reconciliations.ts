import type { Knex } from 'knex';
import { copyFromText } from '../copy/copy-from-text';
import { encodeCopyLines, type CopyColumns } from '../copy/copy-text';
import { pgConnectionOf } from '../connection/target-connection';
import { withLoadTransaction } from '../connection/with-load-transaction';

/** What a check result must have to be recorded; the whole result rides in `detail`. */
export interface ReconciliationResult {
  check: string;
  entity: string;
  partnerId: number;
  expected: string;
  actual: string;
  passed: boolean;
}

const COLUMNS: CopyColumns = [
  { name: 'run_id', type: 'bigint' },
  { name: 'check', type: 'text' },
  { name: 'entity', type: 'text' },
  { name: 'legacy_partner_id', type: 'int' },
  { name: 'expected', type: 'text' },
  { name: 'actual', type: 'text' },
  { name: 'passed', type: 'boolean' },
  { name: 'detail', type: 'text' },
];

// Names quoted: `check` is a reserved word.
const COPY_SQL = `COPY migration.reconciliations (${COLUMNS.map((column) => `"${column.name}"`).join(', ')}) FROM STDIN`;

/**
 * One `migration.reconciliations` row per check result, in the order given, with the whole
 * result (discrepancies, facts) as `detail`. Written with one COPY, however many results: details
 * run to megabytes, and bind parameters stop at 65,535 per statement.
 */
export async function insertReconciliations(
  db: Knex,
  runId: string,
  results: ReadonlyArray<ReconciliationResult>,
): Promise<void> {
  if (results.length === 0) return;
  const lines = encodeCopyLines(
    results.map((result) => ({
      run_id: runId,
      check: result.check,
      entity: result.entity,
      legacy_partner_id: result.partnerId,
      expected: result.expected,
      actual: result.actual,
      passed: result.passed,
      detail: JSON.stringify(result),
    })),
    COLUMNS,
  );
  await withLoadTransaction(db, async (trx) => {
    await copyFromText(await pgConnectionOf(trx), COPY_SQL, lines);
  });
}
