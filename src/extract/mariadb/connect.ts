import mysql, { type Pool, type PoolOptions } from 'mysql2/promise';
import { describeDatabaseUrl } from '../../core/redact';
import { parseLegacyUrl, poolSizeOf } from '../legacy-url';

export interface MariaDbConnectOptions {
  /** Allow several statements per query (only for applying the DDL file). Default false. */
  multipleStatements?: boolean;
  /** Connect to the server without selecting the URL's database (to create it). Default false. */
  withoutDatabase?: boolean;
  /** Pool size; default 4 or the URL's `connectionLimit` query parameter. */
  connectionLimit?: number;
  /** Longest a statement may run, in ms (the server's `max_statement_time`); 0 or absent: no limit. */
  queryTimeoutMs?: number;
}

/** `host:port/database` of a URL: what error messages may name (never the credentials). */
export function describeMariaDbUrl(url: string): string {
  return describeDatabaseUrl(url, 3306, 'mariadb');
}

/**
 * The mysql2 pool options for a legacy URL. Values come back exactly: BIGINT (RowVer) and DECIMAL
 * as strings, DATETIME/DATE as the stored text (no Date in the process's zone), utf8mb4.
 */
export function mariaDbPoolOptions(url: string, options: MariaDbConnectOptions = {}): PoolOptions {
  const parts = parseLegacyUrl(url);
  return {
    host: parts.host,
    port: parts.port ?? 3306,
    user: parts.user || 'root',
    password: parts.password || undefined,
    database: options.withoutDatabase || parts.database === '' ? undefined : parts.database,
    charset: 'UTF8MB4_UNICODE_CI',
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    dateStrings: true,
    // Dates given to insertRows are written by their UTC fields, whatever the process's zone.
    timezone: 'Z',
    multipleStatements: options.multipleStatements ?? false,
    connectionLimit: poolSizeOf(options.connectionLimit, parts.options.get('connectionLimit')),
    connectTimeout: 10_000,
    waitForConnections: true,
  };
}

/** The statement that bounds every later statement of a session, or undefined for no bound. */
export function statementTimeoutSql(queryTimeoutMs: number | undefined): string | undefined {
  if (queryTimeoutMs === undefined || queryTimeoutMs === 0) return undefined;
  if (!Number.isInteger(queryTimeoutMs) || queryTimeoutMs < 0) throw new RangeError('queryTimeoutMs: whole ms');
  // MariaDB counts in seconds, with microsecond fractions.
  return `SET SESSION max_statement_time = ${(queryTimeoutMs / 1000).toFixed(3)}`;
}

/**
 * A pool that connects when first used. With `queryTimeoutMs`, each new connection first bounds
 * its statements (mysql2 runs a connection's statements in order, so it is in force before the
 * first one the pool hands out).
 */
export function createMariaDbPool(url: string, options: MariaDbConnectOptions = {}): Pool {
  const pool = mysql.createPool(mariaDbPoolOptions(url, options));
  const bound = statementTimeoutSql(options.queryTimeoutMs);
  if (bound !== undefined) {
    pool.on('connection', (connection) => {
      (connection as unknown as { query(sql: string, callback: (error: unknown) => void): void }).query(
        bound,
        () => undefined,
      );
    });
  }
  return pool;
}

/** A pool whose server has answered: mysql2 connects lazily, so a bad URL would otherwise fail mid-wave. */
export async function connectMariaDbPool(url: string, options: MariaDbConnectOptions = {}): Promise<Pool> {
  const pool = createMariaDbPool(url, options);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return pool;
}
