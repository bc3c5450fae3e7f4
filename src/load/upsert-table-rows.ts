import type { ClientBase } from 'pg';
import { TARGET_TABLES, type TargetTableKey } from '../core/target-model';
import { encodeCopyLine } from './copy-text';
import { copyFromText } from './copy-from-text';
import { dedupeBatchRows } from './dedupe-batch-rows';
import { RejectedRowError } from './rejected-row-error';
import { describePgError, isRowDataError, translateTargetError } from './target-errors';
import { buildUpsertStatements, type UpsertStatements } from './upsert-statements';

const statementsByTable = new Map<TargetTableKey, UpsertStatements>();

function statementsFor(key: TargetTableKey): UpsertStatements {
  let statements = statementsByTable.get(key);
  if (!statements) {
    statements = buildUpsertStatements(key);
    statementsByTable.set(key, statements);
  }
  return statements;
}

/** Rows sent after deduplication, and rows the upsert inserted or changed. */
export interface TableWriteCount {
  rows: number;
  changed: number;
}

const lowestLegacyUserWins = (kept: object, candidate: object): boolean =>
  (candidate as { source_legacy_user_id: number }).source_legacy_user_id <=
  (kept as { source_legacy_user_id: number }).source_legacy_user_id;

function keyOf(row: object, conflict: ReadonlyArray<string>): Record<string, unknown> {
  const record = row as Record<string, unknown>;
  return Object.fromEntries(conflict.map((column) => [column, record[column]]));
}

/** Copies lines into the empty staging table and upserts them, inside a savepoint; returns rows changed. */
async function copyAndUpsert(client: ClientBase, statements: UpsertStatements, lines: ReadonlyArray<string>, savepoint: string): Promise<number> {
  await client.query(`SAVEPOINT ${savepoint}; ${statements.prepare}`);
  await copyFromText(client, statements.copy, lines);
  const results = (await client.query(`${statements.upsert}; RELEASE SAVEPOINT ${savepoint}`)) as unknown as Array<{ rowCount: number | null }>;
  return results[0]?.rowCount ?? 0;
}

/** Tries lines alone and always undoes them: the error they raise, or null. */
async function probe(client: ClientBase, statements: UpsertStatements, lines: ReadonlyArray<string>): Promise<unknown> {
  try {
    await client.query(`SAVEPOINT ppm_probe; ${statements.prepare}`);
    await copyFromText(client, statements.copy, lines);
    await client.query(statements.upsert);
    return null;
  } catch (error) {
    if (!isRowDataError(error)) throw translateTargetError(error, `isolating a bad row of ${statements.table}`);
    return error;
  } finally {
    await client.query('ROLLBACK TO SAVEPOINT ppm_probe; RELEASE SAVEPOINT ppm_probe');
  }
}

/**
 * Splits a failing batch in halves, probing each, down to the one row that fails alone
 * (pgloader's method): about 2·log2(n) probes. Null when only a combination of rows fails.
 */
async function isolateBadRow(
  client: ClientBase, statements: UpsertStatements, lines: ReadonlyArray<string>, firstError: unknown,
): Promise<{ index: number | null; error: unknown }> {
  let lo = 0;
  let hi = lines.length;
  let error = firstError;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    const left = await probe(client, statements, lines.slice(lo, mid));
    if (left) {
      hi = mid;
      error = left;
      continue;
    }
    const right = await probe(client, statements, lines.slice(mid, hi));
    if (right) {
      lo = mid;
      error = right;
      continue;
    }
    return { index: null, error };
  }
  return { index: lo, error };
}

/**
 * Writes one target table's rows of a batch: COPY into the session's staging table, then one
 * INSERT ... SELECT ... ON CONFLICT upsert. Must run inside the caller's transaction. A row
 * the target refuses is isolated by splitting the batch and reported as RejectedRowError;
 * nothing is dropped.
 */
export async function upsertTableRows(client: ClientBase, key: TargetTableKey, batchRows: ReadonlyArray<object>): Promise<TableWriteCount> {
  const statements = statementsFor(key);
  const columns = TARGET_TABLES[key].columns;
  const rows = dedupeBatchRows(batchRows, statements.conflict, key === 'users' ? lowestLegacyUserWins : undefined);
  // Shared rows in one order, so two workers upserting the same users lock them in the same order.
  if (key === 'users') rows.sort((a, b) => ((a as { email: string }).email < (b as { email: string }).email ? -1 : 1));

  const lines = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    try {
      lines[i] = encodeCopyLine(rows[i]!, columns);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new RejectedRowError(`${statements.table}: row ${i} ${JSON.stringify(keyOf(rows[i]!, statements.conflict))} cannot be encoded: ${message}`,
        statements.table, i, keyOf(rows[i]!, statements.conflict), { cause: error });
    }
  }

  try {
    const changed = await copyAndUpsert(client, statements, lines, 'ppm_table');
    return { rows: rows.length, changed };
  } catch (error) {
    if (!isRowDataError(error)) throw translateTargetError(error, `writing ${statements.table}`);
    await client.query('ROLLBACK TO SAVEPOINT ppm_table; RELEASE SAVEPOINT ppm_table');
    const culprit = await isolateBadRow(client, statements, lines, error);
    if (culprit.index === null) {
      throw new RejectedRowError(`${statements.table}: the batch of ${rows.length} rows is refused though no single row fails alone: ${describePgError(culprit.error)}`,
        statements.table, null, null, { cause: culprit.error });
    }
    const rowKey = keyOf(rows[culprit.index]!, statements.conflict);
    throw new RejectedRowError(`${statements.table}: row ${culprit.index} ${JSON.stringify(rowKey)} refused: ${describePgError(culprit.error)}`,
      statements.table, culprit.index, rowKey, { cause: culprit.error });
  }
}
