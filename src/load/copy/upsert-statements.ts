import { TARGET_TABLES, type TargetTableKey } from '../../core/target-model';

/** The SQL that moves one target table's batch through its staging table. */
export interface UpsertStatements {
  /** Target table, schema-qualified. */
  table: string;
  /** Session temp table the batch is copied into. */
  staging: string;
  /** Columns the batch rows dedupe and upsert on. */
  conflict: ReadonlyArray<string>;
  /** Creates the staging table when this session has none yet, and empties it. */
  prepare: string;
  copy: string;
  upsert: string;
  /**
   * COPY straight into the target, tried first for archive tables: a batch of new keys (a first
   * load) then costs what a plain COPY costs; any existing key fails it and the upsert runs instead.
   */
  directCopy: string | null;
}

/** marketplace.users is one row per e-mail platform-wide: it conflicts on email, not on id. */
export const USERS_CONFLICT: ReadonlyArray<string> = ['email'];

function quote(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** The key a batch row is deduplicated and upserted on. */
export function conflictColumns(key: TargetTableKey): ReadonlyArray<string> {
  return key === 'users' ? USERS_CONFLICT : TARGET_TABLES[key].conflict;
}

/**
 * Builds the statements for one table. The staging table has the target's columns and types
 * but no constraints or indexes (CREATE TABLE AS ... WITH NO DATA), and lives for the session.
 * The upsert updates a row only when a value differs, so a replay touches nothing (updated_at
 * and xmin unchanged); archive rows never go back to an older legacy row version; users take
 * the names of the lowest legacy user id with that e-mail, whatever order workers run in.
 */
export function buildUpsertStatements(key: TargetTableKey): UpsertStatements {
  const spec = TARGET_TABLES[key];
  const columns = spec.columns.map((column) => quote(column.name));
  const conflict = conflictColumns(key);
  const staging = `ppm_stage_${key}`;
  const list = columns.join(', ');
  // users keep their id: it is derived from the e-mail, the conflict key. An account user's
  // invitation columns belong to the cutover once the row exists (sent, expired, accepted): a
  // rerun of the wave must not set them back.
  const frozen = new Set<string>(
    key === 'users'
      ? [...conflict, 'id']
      : key === 'account_users'
        ? [...conflict, 'invitation_status', 'invited_at', 'invitation_expires_at']
        : conflict,
  );
  const updatable = columns.filter((column) => !frozen.has(column));

  const prepare =
    `CREATE TEMP TABLE IF NOT EXISTS ${staging} ON COMMIT DELETE ROWS AS SELECT ${list} FROM ${spec.name} WITH NO DATA; ` +
    `DELETE FROM ${staging}`;
  const copy = `COPY ${staging} (${list}) FROM STDIN`;

  let onConflict: string;
  if (updatable.length === 0) {
    onConflict = 'DO NOTHING';
  } else {
    const set = updatable.map((column) => `${column} = EXCLUDED.${column}`).join(', ');
    const changed = `(${updatable.map((column) => `t.${column}`).join(', ')}) IS DISTINCT FROM (${updatable
      .map((column) => `EXCLUDED.${column}`)
      .join(', ')})`;
    const guards = [changed];
    if (key === 'users') guards.unshift('EXCLUDED.source_legacy_user_id <= t.source_legacy_user_id');
    if (updatable.includes('legacy_row_version')) {
      guards.unshift('COALESCE(EXCLUDED.legacy_row_version >= t.legacy_row_version, true)');
    }
    onConflict = `DO UPDATE SET ${set} WHERE ${guards.join(' AND ')}`;
  }
  // Unchanged rows meet the ON CONFLICT guard and are not rewritten (xmin and updated_at stay); a
  // NOT EXISTS pre-filter here made the planner hash the whole target for every batch.
  const upsert =
    `INSERT INTO ${spec.name} AS t (${list}) SELECT ${columns.map((column) => `s.${column}`).join(', ')} FROM ${staging} s ` +
    `ON CONFLICT (${conflict.map(quote).join(', ')}) ${onConflict}`;
  // users conflict on e-mail across partners all the time; any other table's first load is all new keys.
  const directCopy = key === 'users' ? null : `COPY ${spec.name} (${list}) FROM STDIN`;
  return { table: spec.name, staging, conflict, prepare, copy, upsert, directCopy };
}
