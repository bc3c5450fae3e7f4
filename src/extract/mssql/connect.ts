import sql from 'mssql';
import { ConfigurationError } from '../../core/errors';
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

/** SQL Server 2016 is 13.x; its oldest compatibility level is 100 (2008). */
export const MIN_PRODUCT_MAJOR = 13;
export const MIN_COMPATIBILITY_LEVEL = 100;
/** The row hashes of verification read text as UTF-8 through a `_UTF8` collation: SQL Server 2019 (15.x). */
export const UTF8_COLLATION_MAJOR = 15;

/** The server's version and the database's compatibility level, as the engine reads them at connect. */
export const SERVER_SUPPORT_SQL =
  "SELECT CONVERT(varchar(32), SERVERPROPERTY('ProductVersion')) AS [version], " +
  '(SELECT [compatibility_level] FROM sys.databases WHERE [name] = DB_NAME()) AS [level]';

/** The major version of `13.0.5026.0`; NaN when it does not read as one. */
export function productMajor(version: string): number {
  return /^\d+\./.test(version) ? Number(version.split('.')[0]) : Number.NaN;
}

/**
 * What the engine cannot serve on this server, in words naming what it needs, or undefined:
 * SQL Server 2016 (13.x) or later, the database at compatibility level 100 or higher (the
 * statements use nothing of the later levels: no STRING_SPLIT, OPENJSON, TRIM or CONCAT_WS).
 */
export function serverSupportProblem(version: string, level: number | null): string | undefined {
  const major = productMajor(version);
  if (!(major >= MIN_PRODUCT_MAJOR))
    return `SQL Server 2016 (13.x) or later is needed; this server is version ${version || 'unknown'}`;
  if (level === null || !(level >= MIN_COMPATIBILITY_LEVEL))
    return `the database must run at compatibility level ${MIN_COMPATIBILITY_LEVEL} or higher; it runs at ${level ?? 'unknown'}`;
  return undefined;
}

/** The major version of each pool's server, once checked: the verification's hashes ask it. */
const serverMajors = new WeakMap<object, number>();

/** The major version of the server behind a pool checked by checkServerSupport, if known. */
export function serverMajorOf(pool: object): number | undefined {
  return serverMajors.get(pool);
}

/** Reads the server's version and the database's compatibility level; refuses (ConfigurationError) what it cannot serve. */
export async function checkServerSupport(pool: sql.ConnectionPool, where: string): Promise<void> {
  const result = await pool.request().query<{ version: string | null; level: number | null }>(SERVER_SUPPORT_SQL);
  const row = result.recordset[0] ?? { version: null, level: null };
  const version = row.version ?? '';
  const problem = serverSupportProblem(version, row.level);
  if (problem) throw new ConfigurationError(`legacy database (mssql ${where}) cannot be served: ${problem}`);
  serverMajors.set(pool, productMajor(version));
}

/** A reader's pool: connected, and its server and database checked by checkServerSupport. */
export async function connectMssqlReader(url: string, options: MssqlConnectOptions = {}): Promise<sql.ConnectionPool> {
  const pool = await connectMssqlPool(url, options);
  try {
    await checkServerSupport(pool, describeMssqlUrl(url));
  } catch (error) {
    await pool.close().catch(() => undefined);
    throw error;
  }
  return pool;
}
