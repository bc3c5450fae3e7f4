import sql from 'mssql';
import { ConfigurationError } from '../../core/errors';
import { describeDatabaseUrl } from '../../core/redact';

export interface MssqlConnectOptions {
  /** Connect to `master` instead of the URL's database (to create it). Default false. */
  toMaster?: boolean;
  /** Pool size; default 4 or the URL's `poolMax` query parameter. */
  poolMax?: number;
}

/** `host:port/database` of a URL: what error messages may name (never the credentials). */
export function describeMssqlUrl(url: string): string {
  return describeDatabaseUrl(url, 1433, 'mssql');
}

const flag = (value: string | null, fallback: boolean) => (value === null ? fallback : /^(1|true|yes)$/i.test(value));

/**
 * node-mssql options for `mssql://user:password@host:port/database[?encrypt=&trustServerCertificate=]`.
 * Encryption is on by default; a self-signed server (a container) needs `trustServerCertificate=true`.
 */
export function mssqlPoolConfig(url: string, options: MssqlConnectOptions = {}): sql.config {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError('legacy database URL is not a valid URL');
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const poolMax = Number(parsed.searchParams.get('poolMax'));
  return {
    server: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 1433,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: options.toMaster ? 'master' : database,
    connectionTimeout: 15_000,
    requestTimeout: 120_000,
    pool: { min: 0, max: options.poolMax ?? (poolMax > 0 ? poolMax : 4), idleTimeoutMillis: 30_000 },
    options: {
      encrypt: flag(parsed.searchParams.get('encrypt'), true),
      trustServerCertificate: flag(parsed.searchParams.get('trustServerCertificate'), false),
      appName: 'ppm',
      // Every date is selected as text (columns.ts); useUTC only matters for Dates we write.
      useUTC: true,
    },
  };
}

export async function connectMssqlPool(url: string, options: MssqlConnectOptions = {}): Promise<sql.ConnectionPool> {
  return new sql.ConnectionPool(mssqlPoolConfig(url, options)).connect();
}
