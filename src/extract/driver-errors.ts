import type { LegacyEngineName } from '../core/config';
import { ConfigurationError, ContractViolationError, PpmError, SourceUnavailableError } from '../core/errors';
import { redactUrl } from '../core/redact';

/**
 * What a driver error means for the pipeline: `retryable` (the same call may succeed later),
 * `configuration` (the setup is wrong, retrying cannot help) or `contract` (anything else).
 */
export type DriverErrorKind = 'retryable' | 'configuration' | 'contract';

/** An engine's reading of one of its driver's errors: the codes to name in the message, and the kind. */
export interface DriverErrorReading {
  tag?: string;
  kind: DriverErrorKind;
  /** The statement ran past the query timeout (LEGACY_QUERY_TIMEOUT_MS). */
  timedOut?: boolean;
}

const ERROR_OF_KIND = {
  retryable: SourceUnavailableError,
  configuration: ConfigurationError,
  contract: ContractViolationError,
} as const;

/**
 * A driver error as one of the pipeline's typed errors, as the engine reads it. `operation` says
 * what was attempted, `where` is `host:port/database`; the message never carries a password.
 * The pipeline's own errors pass through unchanged.
 */
export function translateDriverError(
  engine: LegacyEngineName,
  read: (error: unknown) => DriverErrorReading,
  error: unknown,
  operation: string,
  where: string,
): PpmError {
  if (error instanceof PpmError) return error;
  const { tag, kind, timedOut } = read(error);
  const text = (error as { message?: unknown } | null | undefined)?.message;
  const detail = timedOut
    ? 'ran longer than the query timeout (LEGACY_QUERY_TIMEOUT_MS)'
    : redactUrl(typeof text === 'string' && text !== '' ? text : String(error));
  const message = `legacy database (${engine} ${where}) failed to ${operation}: ${tag ? `${tag} ` : ''}${detail}`;
  return new ERROR_OF_KIND[kind](message, { cause: error });
}

/** Runs `work`, throwing what it throws as `translate` has it. */
export async function withTranslatedErrors<T>(
  translate: (error: unknown, operation: string, where: string) => Error,
  operation: string,
  where: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translate(error, operation, where);
  }
}
