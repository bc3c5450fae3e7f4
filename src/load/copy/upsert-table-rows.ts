import type { ClientBase } from 'pg';
import { TARGET_TABLES, type TargetTableKey } from '../../core/target-model';
import { chunksOfLines, copyFromChunks, copyFromText } from './copy-from-text';
import { dedupeBatchRows } from './dedupe-batch-rows';
import { EncodedBatch } from './encoded-batch';
import { RejectedRowError } from './rejected-row-error';
import { describePgError, isRowDataError, translateTargetError } from '../connection/target-errors';
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

/** Rows sent after deduplication, and rows the write inserted or changed. */
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

/** COPY into the target itself, in a savepoint: rows copied, or null when a row conflicts or is refused (the upsert decides then). */
async function tryDirectCopy(client: ClientBase, sql: string, batch: EncodedBatch): Promise<number | null> {
  await client.query('SAVEPOINT ppm_direct');
  try {
    const copied = await copyFromChunks(client, sql, batch.chunks());
    await client.query('RELEASE SAVEPOINT ppm_direct');
    return copied;
  } catch (error) {
    if (error instanceof RejectedRowError || !isRowDataError(error)) {
      await client.query('ROLLBACK TO SAVEPOINT ppm_direct; RELEASE SAVEPOINT ppm_direct').catch(() => undefined);
      throw error instanceof RejectedRowError ? error : translateTargetError(error, `copying into ${sql}`);
    }
    await client.query('ROLLBACK TO SAVEPOINT ppm_direct; RELEASE SAVEPOINT ppm_direct');
    return null;
  }
}

/** Copies the batch into the emptied staging table and upserts it, inside a savepoint; returns rows changed. */
async function copyAndUpsert(
  client: ClientBase,
  statements: UpsertStatements,
  chunks: Iterable<string>,
): Promise<number> {
  await client.query(`SAVEPOINT ppm_table; ${statements.prepare}`);
  await copyFromChunks(client, statements.copy, chunks);
  const results = (await client.query(`${statements.upsert}; RELEASE SAVEPOINT ppm_table`)) as unknown as Array<{
    rowCount: number | null;
  }>;
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
 * Finds the shortest prefix of a failing batch that fails, by halving (about log2(n) probes):
 * its last row is the one the target refuses, alone or beside a row before it (a unique value
 * two rows share: the later one is refused, so the earlier row of the batch keeps it). Null when
 * the whole batch, probed again, passes.
 */
async function isolateBadRow(
  client: ClientBase,
  statements: UpsertStatements,
  lines: ReadonlyArray<string>,
  firstError: unknown,
): Promise<{ index: number | null; error: unknown }> {
  const whole = await probe(client, statements, lines);
  if (!whole) return { index: null, error: firstError };
  let passes = 0; // a prefix of this many rows is written without error
  let fails = lines.length; // a prefix of this many rows fails
  let error = whole;
  while (fails - passes > 1) {
    const mid = (passes + fails) >>> 1;
    const failure = await probe(client, statements, lines.slice(0, mid));
    if (failure) {
      fails = mid;
      error = failure;
    } else {
      passes = mid;
    }
  }
  return { index: fails - 1, error };
}

/**
 * Writes one target table's rows of a batch inside the caller's transaction. Archive tables
 * first try a plain COPY into the table (new keys: the cost of COPY itself); otherwise, and
 * whenever that meets an existing key, COPY into the session's staging table and one
 * INSERT ... SELECT ... ON CONFLICT upsert that touches only rows whose values differ. A row
 * the target refuses is isolated by probing prefixes of the batch and reported as
 * RejectedRowError; nothing is dropped.
 */
export async function upsertTableRows(
  client: ClientBase,
  key: TargetTableKey,
  batchRows: ReadonlyArray<object>,
): Promise<TableWriteCount> {
  const statements = statementsFor(key);
  const rows = dedupeBatchRows(batchRows, statements.conflict, key === 'users' ? lowestLegacyUserWins : undefined);
  // Shared rows in one order, so two workers upserting the same users lock them in the same order.
  if (key === 'users') rows.sort((a, b) => ((a as { email: string }).email < (b as { email: string }).email ? -1 : 1));
  const batch = new EncodedBatch(rows, TARGET_TABLES[key].columns, (index, error) => {
    const rowKey = keyOf(rows[index]!, statements.conflict);
    const message = error instanceof Error ? error.message : String(error);
    throw new RejectedRowError(
      `${statements.table}: row ${index} ${JSON.stringify(rowKey)} cannot be encoded: ${message}`,
      statements.table,
      index,
      rowKey,
      rows[index]!,
      key,
      `${statements.table} cannot encode the row: ${message}`,
      { cause: error },
    );
  });

  let firstAttempt: Iterable<string> = batch.chunks();
  if (statements.directCopy) {
    const copied = await tryDirectCopy(client, statements.directCopy, batch);
    if (copied !== null) return { rows: rows.length, changed: copied };
    firstAttempt = chunksOfLines(batch.allLines());
  }
  try {
    const changed = await copyAndUpsert(client, statements, firstAttempt);
    return { rows: rows.length, changed };
  } catch (error) {
    if (error instanceof RejectedRowError) throw error;
    if (!isRowDataError(error)) throw translateTargetError(error, `writing ${statements.table}`);
    await client.query('ROLLBACK TO SAVEPOINT ppm_table; RELEASE SAVEPOINT ppm_table');
    const lines = batch.allLines();
    const culprit = await isolateBadRow(client, statements, lines, error);
    if (culprit.index === null) {
      throw new RejectedRowError(
        `${statements.table}: the batch of ${rows.length} rows is refused, though written again it passes: ${describePgError(culprit.error)}`,
        statements.table,
        null,
        null,
        null,
        key,
        describePgError(culprit.error),
        { cause: culprit.error },
      );
    }
    const rowKey = keyOf(rows[culprit.index]!, statements.conflict);
    throw new RejectedRowError(
      `${statements.table}: row ${culprit.index} ${JSON.stringify(rowKey)} refused: ${describePgError(culprit.error)}`,
      statements.table,
      culprit.index,
      rowKey,
      rows[culprit.index]!,
      key,
      `${statements.table} refused the row: ${describePgError(culprit.error)}`,
      { cause: culprit.error },
    );
  }
}
