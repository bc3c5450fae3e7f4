import knex, { type Knex } from 'knex';
import { types as pgTypes } from 'pg';
import { describeDatabaseUrl } from '../../core/redact';

/** Options of connectTarget. */
export interface ConnectTargetOptions {
  /** Most connections the pool opens. Default 10. */
  poolMax?: number;
  /** application_name the server shows in pg_stat_activity. Default `ppm`. */
  applicationName?: string;
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
 * saves, and parallel workers compete for cores the other statements already use
 * (bench/README.md, "Session settings").
 */
export const TARGET_SESSION_SETTINGS: Readonly<Record<string, string>> = {
  jit: 'off',
  max_parallel_workers_per_gather: '0',
  // Dates as YYYY-MM-DD whatever the server's default: the type parsers and the marketplace row hashes read them so.
  DateStyle: 'ISO',
};

/** A knex instance on the marketplace PostgreSQL database, with targetTypeParsers and TARGET_SESSION_SETTINGS. */
export function connectTarget(url: string, options: ConnectTargetOptions = {}): Knex {
  return knex({
    client: 'pg',
    connection: {
      connectionString: url,
      application_name: options.applicationName ?? 'ppm',
      // Sent in the start-up packet: no statement per connection.
      options: Object.entries(TARGET_SESSION_SETTINGS)
        .map(([name, value]) => `-c ${name}=${value}`)
        .join(' '),
      types: targetTypeParsers,
    } as Knex.PgConnectionConfig,
    pool: { min: 0, max: options.poolMax ?? 10 },
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
