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

const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03', '57P01', '57P02', '57P03', '53300', '53400']);
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
  if (isTransientTargetError(error))
    return new TargetUnavailableError(`${context}: ${describePgError(error)}`, { cause: error });
  if (isRowDataError(error))
    return new ContractViolationError(`${context}: ${describePgError(error)}`, { cause: error });
  return error;
}
