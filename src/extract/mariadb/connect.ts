import mysql, { type Pool, type PoolOptions } from 'mysql2/promise';
import { ConfigurationError } from '../../core/errors';
import { describeDatabaseUrl } from '../../core/redact';

export interface MariaDbConnectOptions {
  /** Allow several statements per query (only for applying the DDL file). Default false. */
  multipleStatements?: boolean;
  /** Connect to the server without selecting the URL's database (to create it). Default false. */
  withoutDatabase?: boolean;
  /** Pool size; default 4 or the URL's `connectionLimit` query parameter. */
  connectionLimit?: number;
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
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError('legacy database URL is not a valid URL');
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const limitParam = Number(parsed.searchParams.get('connectionLimit'));
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username) || 'root',
    password: decodeURIComponent(parsed.password) || undefined,
    database: options.withoutDatabase || database === '' ? undefined : database,
    charset: 'UTF8MB4_UNICODE_CI',
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    dateStrings: true,
    // Dates given to insertRows are written by their UTC fields, whatever the process's zone.
    timezone: 'Z',
    multipleStatements: options.multipleStatements ?? false,
    connectionLimit: options.connectionLimit ?? (limitParam > 0 ? limitParam : 4),
    connectTimeout: 10_000,
    waitForConnections: true,
  };
}

export function createMariaDbPool(url: string, options: MariaDbConnectOptions = {}): Pool {
  return mysql.createPool(mariaDbPoolOptions(url, options));
}
