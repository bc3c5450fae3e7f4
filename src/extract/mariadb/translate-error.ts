import {
  ConfigurationError, ContractViolationError, PpmError, SourceUnavailableError,
} from '../../core/errors';
import { redactUrl } from '../../core/redact';

/** Network failures and transient server states: the same call may succeed later. */
const RETRYABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND',
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT',
  'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN', 'ER_TOO_MANY_USER_CONNECTIONS', 'ER_QUERY_INTERRUPTED',
  'ER_CONNECTION_KILLED', 'ER_NET_READ_ERROR', 'ER_NET_WRITE_INTERRUPTED',
]);

/** Wrong credentials or a database that is not there: retrying cannot help, the setup is wrong. */
const CONFIGURATION_CODES = new Set(['ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_BAD_DB_ERROR', 'ER_NOT_SUPPORTED_AUTH_MODE']);

/**
 * A mysql2 error as one of the pipeline's typed errors. `operation` says what was attempted,
 * `where` is `host:port/database`; the message never carries a password.
 */
export function translateMariaDbError(error: unknown, operation: string, where: string): PpmError {
  if (error instanceof PpmError) return error;
  const err = (error ?? {}) as { code?: unknown; errno?: unknown; message?: unknown };
  const code = typeof err.code === 'string' ? err.code : undefined;
  const detail = redactUrl(typeof err.message === 'string' && err.message !== '' ? err.message : String(error));
  const message = `legacy database (mariadb ${where}) failed to ${operation}: ${code ? `${code} ` : ''}${detail}`;
  if (code && RETRYABLE_CODES.has(code)) return new SourceUnavailableError(message, { cause: error });
  if (code && CONFIGURATION_CODES.has(code)) return new ConfigurationError(message, { cause: error });
  return new ContractViolationError(message, { cause: error });
}
