import { ContractViolationError, PpmError, TargetUnavailableError } from '../../core/errors';

/** What node-postgres attaches to a server error. */
export interface PgErrorFields {
  code?: string;
  detail?: string;
  where?: string;
  column?: string;
  constraint?: string;
  table?: string;
}

// 55P03 lock_not_available (lock_timeout) and 57014 query_canceled (statement_timeout) included:
// a statement that waited or ran too long may well pass once the other session is done.
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03', '57014', '57P01', '57P02', '57P03', '53300', '53400']);
const TRANSIENT_NODE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

export function pgFields(error: unknown): PgErrorFields {
  return typeof error === 'object' && error !== null ? (error as PgErrorFields) : {};
}

/** A row's data broke the target's rules (bad value, constraint, duplicate): splitting the batch can find it. */
export function isRowDataError(error: unknown): boolean {
  const code = pgFields(error).code ?? '';
  return /^(21|22|23)/.test(code);
}

export function isTransientTargetError(error: unknown): boolean {
  const code = pgFields(error).code ?? '';
  if (TRANSIENT_SQLSTATES.has(code) || code.startsWith('08') || TRANSIENT_NODE_CODES.has(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection is closed|Client has encountered a connection error/i.test(message);
}

/** Which of the session's timeouts ended a statement, if one did. */
export function timeoutOf(error: unknown): 'lock' | 'statement' | undefined {
  const code = pgFields(error).code;
  const message = error instanceof Error ? error.message : '';
  if (code === '55P03' && /lock timeout/i.test(message)) return 'lock';
  if (code === '57014' && /statement timeout/i.test(message)) return 'statement';
  return undefined;
}

/** What a message says of a timeout: which limit, and the variable that sets it. */
function describeTimeout(kind: 'lock' | 'statement'): string {
  return kind === 'lock'
    ? 'waited longer than the lock timeout (PG_LOCK_TIMEOUT_MS) for a lock another session holds'
    : 'ran longer than the statement timeout (PG_STATEMENT_TIMEOUT_MS)';
}

/** One line about a PostgreSQL error: message, then its detail when it has one. */
export function describePgError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const { detail, column } = pgFields(error);
  return [message, column ? `column ${column}` : '', detail ?? ''].filter(Boolean).join('; ');
}

/**
 * Translates a PostgreSQL or socket error at the load stage's edge into the pipeline's typed
 * errors: transient ones become TargetUnavailableError (retried), data ones ContractViolationError.
 * Errors that are already typed pass through.
 */
export function translateTargetError(error: unknown, context: string): unknown {
  if (error instanceof PpmError) return error;
  const timeout = timeoutOf(error);
  if (timeout) return new TargetUnavailableError(`${context}: ${describeTimeout(timeout)}`, { cause: error });
  if (isTransientTargetError(error))
    return new TargetUnavailableError(`${context}: ${describePgError(error)}`, { cause: error });
  if (isRowDataError(error))
    return new ContractViolationError(`${context}: ${describePgError(error)}`, { cause: error });
  return error;
}

/**
 * Runs the statements of `work`, naming `purpose` (what they do, never their values) when one
 * of them ends on a timeout: `upserting marketplace.accounts: waited longer than the lock
 * timeout ...`, a TargetUnavailableError, so the job is retried. Other errors pass unchanged.
 */
export async function withStatementPurpose<T>(purpose: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const cause = error instanceof PpmError && error.cause !== undefined ? error.cause : error;
    const timeout = timeoutOf(cause);
    if (timeout) throw new TargetUnavailableError(`${purpose}: ${describeTimeout(timeout)}`, { cause });
    throw error;
  }
}
