import knex, { type Knex } from 'knex';
import { types as pgTypes } from 'pg';

/** Options of connectTarget. */
export interface ConnectTargetOptions {
  /** Most connections the pool opens. Default 10. */
  poolMax?: number;
  /** application_name the server shows in pg_stat_activity. Default `ppm`. */
  applicationName?: string;
}

const OID = { date: 1082, timestamp: 1114, timestamptz: 1184 } as const;

/**
 * Per-connection type parsers (pg's global ones stay untouched): `numeric` and `bigint` stay
 * exact strings (pg's default); `date` stays `YYYY-MM-DD`; `timestamp` (no zone) stays as the
 * server writes it; `timestamptz` becomes an ISO 8601 UTC string (millisecond precision), the
 * same form the target rows use.
 */
export const targetTypeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (format !== 'binary') {
      if (oid === OID.date || oid === OID.timestamp) return (value) => value;
      if (oid === OID.timestamptz) return (value) => new Date(value).toISOString();
    }
    return pgTypes.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
  },
};

/** A knex instance on the marketplace PostgreSQL database, with targetTypeParsers. */
export function connectTarget(url: string, options: ConnectTargetOptions = {}): Knex {
  return knex({
    client: 'pg',
    connection: {
      connectionString: url,
      application_name: options.applicationName ?? 'ppm',
      types: targetTypeParsers,
    } as Knex.PgConnectionConfig,
    pool: { min: 0, max: options.poolMax ?? 10 },
  });
}
