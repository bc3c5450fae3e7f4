import knex, { type Knex } from 'knex';
import { types as pgTypes } from 'pg';
import { describeDatabaseUrl } from '../../core/redact';

/** Options of connectTarget. */
export interface ConnectTargetOptions {
  /** Most connections the pool opens. Default 10. */
  poolMax?: number;
  /** application_name the server shows in pg_stat_activity. Default `ppm`. */
  applicationName?: string;
  /** statement_timeout of every connection, in ms (0: none). Default: the server's. */
  statementTimeoutMs?: number;
  /** lock_timeout of every connection, in ms (0: none). Default: the server's. */
  lockTimeoutMs?: number;
  /**
   * The role each connection takes (SET ROLE) right after it connects, when the login is a
   * member of it and it exists; otherwise the connection keeps the login's own. Default none.
   */
  sessionRole?: string;
  /** Where knex's own warnings go (its default writes them to the console, unredacted). */
  log?: { warn(message: string): void; error(message: string): void };
}

/** `host:port/database` of a PostgreSQL URL: what error messages may name (never the credentials). */
export function describeTargetUrl(url: string): string {
  return describeDatabaseUrl(url, 5432, 'postgresql');
}

const OID = { date: 1082, timestamp: 1114, timestamptz: 1184 } as const;
const LOCAL_TIMESTAMP = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?:\.(\d+))?$/;
const parseTimestamptz = pgTypes.getTypeParser(OID.timestamptz, 'text') as (value: string) => Date;

/** `timestamp` in the legacy wall-clock form `YYYY-MM-DD HH:MM:SS.fff` (the server drops zero fractions). */
export function parseLocalTimestamp(value: string): string {
  const match = LOCAL_TIMESTAMP.exec(value);
  if (!match) return value;
  return `${match[1]}.${(match[2] ?? '').padEnd(3, '0').slice(0, 3)}`;
}

/** `timestamptz` as an ISO 8601 UTC string with milliseconds; infinities stay as the server wrote them. */
export function parseUtcTimestamp(value: string): string {
  const date = parseTimestamptz(value);
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : value;
}

/**
 * Per-connection type parsers (pg's global ones stay untouched): `numeric` and `bigint` stay
 * exact strings (pg's default); `date` stays `YYYY-MM-DD`; `timestamp` (no zone) becomes
 * `YYYY-MM-DD HH:MM:SS.fff`; `timestamptz` becomes an ISO 8601 UTC string with milliseconds.
 * These are the forms the target rows of core/target-model.ts use, so rows read back compare equal.
 */
export const targetTypeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (format !== 'binary') {
      if (oid === OID.date) return (value) => value;
      if (oid === OID.timestamp) return parseLocalTimestamp;
      if (oid === OID.timestamptz) return parseUtcTimestamp;
    }
    return pgTypes.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
  },
};

/**
 * Session settings every pipeline connection starts with. The pipeline runs many statements of
 * moderate size side by side: JIT compilation of their long hash expressions costs more than it
 * saves, and parallel workers compete for cores the other statements already use. Most of its
 * reads are a scope's keys looked up in tables the server has cached (a batch's partners, a
 * sync's changed orders): with the default random_page_cost of 4 (a disk's seek) the planner
 * hashes whole tables rather than follow an index for a few thousand keys; 1.1 is the usual
 * value for SSDs and cached data (bench/README.md, "Session settings").
 */
export const TARGET_SESSION_SETTINGS: Readonly<Record<string, string>> = {
  jit: 'off',
  max_parallel_workers_per_gather: '0',
  random_page_cost: '1.1',
  // Dates as YYYY-MM-DD whatever the server's default: the type parsers and the marketplace row hashes read them so.
  DateStyle: 'ISO',
};

/** The start-up settings of a connection: TARGET_SESSION_SETTINGS and the timeouts asked for. */
export function targetSessionSettings(options: ConnectTargetOptions = {}): Record<string, string> {
  const settings: Record<string, string> = { ...TARGET_SESSION_SETTINGS };
  for (const [name, value] of [
    ['statement_timeout', options.statementTimeoutMs],
    ['lock_timeout', options.lockTimeoutMs],
  ] as const) {
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number of ms`);
    settings[name] = String(value);
  }
  return settings;
}

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The statement that makes a new connection take `role`: only when the role exists and the
 * login may take it (a member, or a superuser), so a database not migrated yet, or a login
 * that is not a member, still connects with its own privileges.
 */
export function setSessionRoleSql(role: string): string {
  if (!ROLE_NAME.test(role)) throw new RangeError(`not a role name: ${role}`);
  return `DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
    IF pg_has_role(session_user, '${role}', 'MEMBER') THEN
      SET ROLE "${role}";
    END IF;
  END IF;
END
$$`;
}

interface PgQueryable {
  query(text: string, callback: (error: Error | null) => void): void;
}

/** A knex instance on the marketplace PostgreSQL database, with targetTypeParsers and the session settings. */
export function connectTarget(url: string, options: ConnectTargetOptions = {}): Knex {
  const roleSql = options.sessionRole === undefined ? undefined : setSessionRoleSql(options.sessionRole);
  return knex({
    client: 'pg',
    connection: {
      connectionString: url,
      application_name: options.applicationName ?? 'ppm',
      // Sent in the start-up packet: no statement per connection.
      options: Object.entries(targetSessionSettings(options))
        .map(([name, value]) => `-c ${name}=${value}`)
        .join(' '),
      types: targetTypeParsers,
    } as Knex.PgConnectionConfig,
    pool: {
      min: 0,
      max: options.poolMax ?? 10,
      ...(roleSql
        ? {
            afterCreate(connection: PgQueryable, done: (error: Error | null, connection: PgQueryable) => void) {
              connection.query(roleSql, (error) => done(error, connection));
            },
          }
        : {}),
    },
    ...(options.log
      ? {
          log: {
            warn: options.log.warn,
            error: options.log.error,
            deprecate: options.log.warn,
            debug: () => undefined,
          },
        }
      : {}),
  });
}
