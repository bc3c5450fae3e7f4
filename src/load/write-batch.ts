import type { BatchResult } from '../core/outcomes';
import { ENTITIES, type Entity } from '../core/legacy-model';
import { LOAD_ORDER, TARGET_TABLES, type TargetTableKey } from '../core/target-model';
import { insertFindings } from './state/insert-findings';
import { insertIdMap } from './state/insert-id-map';
import type { CheckpointWrite } from './state/load-records';
import { resolveProblems } from './state/resolve-problems';
import { retireMemberships } from './state/retire-memberships';
import { pgConnectionOf, type LoadTransaction } from './connection/target-connection';
import { translateTargetError, withStatementPurpose } from './connection/target-errors';
import { upsertProblems } from './state/upsert-problems';
import { upsertTableRows, type TableWriteCount } from './copy/upsert-table-rows';
import { writeCheckpoints } from './state/write-checkpoint';

/**
 * Where a batch belongs and the job's state after it (see CheckpointWrite); a list for a batch
 * of several partners, one checkpoint each, all of one run.
 */
export type WriteBatchMeta = CheckpointWrite | ReadonlyArray<CheckpointWrite>;

/** What a batch write did, per target table: rows sent (deduplicated) and rows inserted or changed. */
export interface WriteBatchSummary {
  tables: Partial<Record<TargetTableKey, TableWriteCount>>;
  quarantined: number;
  skipped: number;
  findings: number;
  idMap: number;
  /** Account users marked `Deleted` (their legacy user no longer migrates). */
  retired: number;
}

const ENTITY_NAMES = new Set<string>(ENTITIES);

/**
 * LOAD_ORDER with users and their memberships last: `marketplace.users` is one row per e-mail
 * platform-wide, so two batches written at once often upsert the same user, and the second
 * waits on the first's uncommitted row until the first commits. Written last, a batch holds
 * those rows only for the rest of its transaction, not while it writes its archive (on the
 * 4,000-partner bench wave a third of the users upserts waited 0.3-0.6 s each). Nothing else
 * references a user or an account user.
 */
const LAST = new Set<TargetTableKey>(['users', 'account_users']);
const WRITE_ORDER: ReadonlyArray<TargetTableKey> = [
  ...LOAD_ORDER.filter((key) => !LAST.has(key)),
  ...LOAD_ORDER.filter((key) => LAST.has(key)),
];

/**
 * Writes one transformed batch and its checkpoint in the caller's transaction (a knex
 * transaction, or a pg client after BEGIN), so they commit or roll back together:
 * target tables in LOAD_ORDER, users and account users last (COPY into a session staging table, then an upsert that touches
 * only rows whose values differ), quarantine and skipped rows (one open row per legacy key),
 * findings (once per run), id map entries (checked both ways), then the checkpoint.
 *
 * Throws RejectedRowError (a ContractViolationError) naming a row the target refuses,
 * ContractViolationError for an id map conflict, TargetUnavailableError for transient failures.
 * The transaction must be rolled back after any error.
 */
export async function writeBatch(
  trx: LoadTransaction,
  result: BatchResult,
  meta: WriteBatchMeta,
): Promise<WriteBatchSummary> {
  const checkpoints: ReadonlyArray<CheckpointWrite> = Array.isArray(meta) ? meta : [meta as CheckpointWrite];
  if (checkpoints.length === 0) throw new RangeError('writeBatch needs at least one checkpoint');
  const { runId } = checkpoints[0];
  if (checkpoints.some((checkpoint) => checkpoint.runId !== runId))
    throw new RangeError('writeBatch: every checkpoint of a batch belongs to one run');
  const client = await pgConnectionOf(trx);
  const summary: WriteBatchSummary = { tables: {}, quarantined: 0, skipped: 0, findings: 0, idMap: 0, retired: 0 };
  try {
    // Synchronous commit (the server's default): once the job is recorded done, its batch is on disk.
    await client.query(`SET LOCAL ppm.archive_write = 'on'`);
    for (const key of WRITE_ORDER) {
      const rows = result.rows[key];
      if (rows && rows.length > 0)
        summary.tables[key] = await withStatementPurpose(`upserting ${TARGET_TABLES[key].name}`, () =>
          upsertTableRows(client, key, rows),
        );
    }

    // A legacy row has one outcome: loading it or keeping it out closes an older open row of the other kinds.
    const loaded = result.idMap
      .filter((entry) => ENTITY_NAMES.has(entry.legacyTable))
      .map((entry) => ({ entity: entry.legacyTable as Entity, legacyKey: entry.legacyKey }));
    await withStatementPurpose('recording quarantined and skipped rows', async () => {
      await resolveProblems(client, 'migration.quarantine', [...loaded, ...result.skipped]);
      await resolveProblems(client, 'migration.skipped', [...loaded, ...result.quarantined]);
      summary.quarantined = await upsertProblems(client, 'migration.quarantine', runId, result.quarantined);
      summary.skipped = await upsertProblems(client, 'migration.skipped', runId, result.skipped);
      const keptOutUsers = [...result.skipped, ...result.quarantined]
        .filter((problem) => problem.entity === 'user')
        .map((problem) => Number(problem.legacyKey));
      summary.retired = await retireMemberships(client, keptOutUsers);
    });
    summary.findings = await withStatementPurpose('recording findings', () =>
      insertFindings(client, runId, result.findings),
    );
    summary.idMap = await withStatementPurpose('recording the id map', () => insertIdMap(client, runId, result.idMap));
    await withStatementPurpose('writing checkpoints', () => writeCheckpoints(client, checkpoints));
    return summary;
  } catch (error) {
    const what =
      checkpoints.length === 1
        ? `partner ${checkpoints[0].partnerId} (${checkpoints[0].jobKey})`
        : `${checkpoints.length} partners (${checkpoints[0].partnerId}, ...)`;
    throw translateTargetError(error, `writing a batch of ${what}`);
  }
}
