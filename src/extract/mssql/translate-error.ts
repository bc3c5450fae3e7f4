import type { PpmError } from '../../core/errors';
import { translateDriverError, type DriverErrorKind, type DriverErrorReading } from '../driver-errors';

/** node-mssql / tedious codes of network failures and timeouts. */
const RETRYABLE_CODES = new Set([
  'ETIMEOUT',
  'ESOCKET',
  'ECONNCLOSED',
  'ENOTOPEN',
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOCONN',
  'EINSTLOOKUP',
]);

/**
 * SQL Server error numbers worth a retry: deadlock victim (1205), lock timeout (1222), and the
 * transient availability errors (Azure SQL's list: 4060 excluded, it is a wrong database name).
 */
const RETRYABLE_NUMBERS = new Set([
  1205, 1222, -2, 233, 10053, 10054, 10060, 10928, 10929, 40197, 40501, 40613, 49918, 49919, 49920, 4221, 615, 926,
  3960, 41302, 41305, 41325, 41839,
]);

/** Login failed, cannot open database, permission denied: the setup is wrong, retrying cannot help. */
const CONFIGURATION_NUMBERS = new Set([18456, 4060, 229, 230, 262, 916]);

interface MssqlErrorShape {
  code?: unknown;
  number?: unknown;
  originalError?: { code?: unknown; number?: unknown; info?: { number?: unknown } };
}

/** The error code and SQL Server number of a node-mssql error, wherever the driver put them. */
export function mssqlErrorIdentity(error: unknown): { code?: string; number?: number } {
  const err = (error ?? {}) as MssqlErrorShape;
  const original = err.originalError ?? {};
  const code =
    [err.code, original.code].find((value): value is string => typeof value === 'string' && value !== 'EREQUEST') ??
    (typeof err.code === 'string' ? err.code : undefined);
  const number = [err.number, original.number, original.info?.number].find(
    (value): value is number => typeof value === 'number',
  );
  return { code, number };
}

/** The number decides first; then a failed login, then a network code. */
function kindOf(code: string | undefined, number: number | undefined): DriverErrorKind {
  if (number !== undefined && RETRYABLE_NUMBERS.has(number)) return 'retryable';
  if (number !== undefined && CONFIGURATION_NUMBERS.has(number)) return 'configuration';
  if (code === 'ELOGIN') return 'configuration';
  if (code && RETRYABLE_CODES.has(code)) return 'retryable';
  return 'contract';
}

/** A node-mssql error by its code and SQL Server number, both named in the message (`EREQUEST #208`). */
function readMssqlError(error: unknown): DriverErrorReading {
  const { code, number } = mssqlErrorIdentity(error);
  const tag = [code, number === undefined ? undefined : `#${number}`].filter(Boolean).join(' ');
  // node-mssql's requestTimeout: "Timeout: Request failed to complete in N ms".
  const message = (error as { message?: unknown } | null | undefined)?.message;
  const timedOut = code === 'ETIMEOUT' && typeof message === 'string' && /request failed to complete/i.test(message);
  return { tag, kind: kindOf(code, number), ...(timedOut ? { timedOut } : {}) };
}

/** A node-mssql error as one of the pipeline's typed errors; see translateDriverError. */
export function translateMssqlError(error: unknown, operation: string, where: string): PpmError {
  return translateDriverError('mssql', readMssqlError, error, operation, where);
}
