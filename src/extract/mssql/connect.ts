import sql from 'mssql';
import { createLogger, type Logger } from '../../core/logger';
import { describeDatabaseUrl, redactText } from '../../core/redact';
import { parseLegacyUrl, poolSizeOf } from '../legacy-url';

export interface MssqlConnectOptions {
  /** Connect to `master` instead of the URL's database (to create it). Default false. */
  toMaster?: boolean;
  /** Pool size; default 4 or the URL's `poolMax` query parameter. */
  poolMax?: number;
  /** node-mssql's requestTimeout, in ms (0: no limit). Default 120000. */
  queryTimeoutMs?: number;
  /** Where the pool's `error` events are logged; default the process logger. */
  logger?: Pick<Logger, 'warn'>;
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
  const parts = parseLegacyUrl(url);
  return {
    server: parts.host,
    port: parts.port ?? 1433,
    user: parts.user,
    password: parts.password,
    database: options.toMaster ? 'master' : parts.database,
    connectionTimeout: 15_000,
    requestTimeout: options.queryTimeoutMs ?? 120_000,
    pool: { min: 0, max: poolSizeOf(options.poolMax, parts.options.get('poolMax')), idleTimeoutMillis: 30_000 },
    options: {
      encrypt: flag(parts.options.get('encrypt'), true),
      trustServerCertificate: flag(parts.options.get('trustServerCertificate'), false),
      appName: 'ppm',
      // Every date is selected as text (columns.ts); useUTC only matters for Dates we write.
      useUTC: true,
    },
  };
}

let processLogger: Logger | undefined;

/**
 * A pool, not connected yet, that logs its `error` events. node-mssql emits `error` on the pool
 * for a connection's non-socket errors (the request that needed the connection fails too, and
 * is translated as usual); an EventEmitter's `error` without a listener ends the process. The
 * logger redacts the message; the line names the server as `host:port/database` only.
 */
export function createMssqlPool(url: string, options: MssqlConnectOptions = {}): sql.ConnectionPool {
  const pool = new sql.ConnectionPool(mssqlPoolConfig(url, options));
  const server = describeMssqlUrl(url);
  pool.on('error', (error: unknown) => {
    try {
      const logger = options.logger ?? (processLogger ??= createLogger());
      logger.warn({ err: error, server }, 'SQL Server connection error (the pool carries on)');
    } catch {
      // No logger (a bad LOG_LEVEL): still never let the event end the process.
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`ppm: SQL Server connection error (${server}): ${redactText(message)}\n`);
    }
  });
  return pool;
}

/** A pool whose server has answered: node-mssql connects when asked to. */
export async function connectMssqlPool(url: string, options: MssqlConnectOptions = {}): Promise<sql.ConnectionPool> {
  return createMssqlPool(url, options).connect();
}
