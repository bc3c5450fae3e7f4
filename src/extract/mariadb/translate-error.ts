import type { PpmError } from '../../core/errors';
import { translateDriverError, type DriverErrorReading } from '../driver-errors';

/** Network failures and transient server states: the same call may succeed later. */
const RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_QUERY_INTERRUPTED',
  'ER_CONNECTION_KILLED',
  'ER_NET_READ_ERROR',
  'ER_NET_WRITE_INTERRUPTED',
  'ER_STATEMENT_TIMEOUT',
]);

/** MariaDB's `max_statement_time exceeded` (1969), which mysql2 may not know by name. */
const STATEMENT_TIMEOUT_ERRNO = 1969;

/** Wrong credentials or a database that is not there: retrying cannot help, the setup is wrong. */
const CONFIGURATION_CODES = new Set([
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'ER_NOT_SUPPORTED_AUTH_MODE',
]);

/** A mysql2 error by its `code`, which the message names. */
function readMariaDbError(error: unknown): DriverErrorReading {
  const { code, errno } = (error ?? {}) as { code?: unknown; errno?: unknown };
  if (errno === STATEMENT_TIMEOUT_ERRNO || code === 'ER_STATEMENT_TIMEOUT')
    return { tag: typeof code === 'string' ? code : `#${STATEMENT_TIMEOUT_ERRNO}`, kind: 'retryable', timedOut: true };
  if (typeof code !== 'string') return { kind: 'contract' };
  if (RETRYABLE_CODES.has(code)) return { tag: code, kind: 'retryable' };
  return { tag: code, kind: CONFIGURATION_CODES.has(code) ? 'configuration' : 'contract' };
}

/** A mysql2 error as one of the pipeline's typed errors; see translateDriverError. */
export function translateMariaDbError(error: unknown, operation: string, where: string): PpmError {
  return translateDriverError('mariadb', readMariaDbError, error, operation, where);
}
