/**
 * The few typed errors of the pipeline. Each carries a stable `code`; `retryable` decides
 * whether a queued job is tried again (source unavailable, deadlock, connection reset) or fails
 * for good (contract violation, bad configuration). Driver errors are translated into these at
 * each engine's edge; nothing above an engine sees a raw SQLSTATE or SQL Server error number.
 */
export abstract class PpmError extends Error {
  abstract readonly code: string;
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad configuration or arguments: the command exits 2 and nothing is retried. */
export class ConfigurationError extends PpmError {
  readonly code = 'configuration';
  readonly retryable = false;
}

/** A usage mistake on the command line (unknown wave, bad flag value): exit 2. */
export class UsageError extends PpmError {
  readonly code = 'usage';
  readonly retryable = false;
}

/** The legacy or target database is unreachable, or a transient failure (deadlock, reset). */
export class SourceUnavailableError extends PpmError {
  readonly code = 'source_unavailable';
  readonly retryable = true;
}

export class TargetUnavailableError extends PpmError {
  readonly code = 'target_unavailable';
  readonly retryable = true;
}

/** Data that breaks a contract the pipeline relies on (a row that fails its schema). */
export class ContractViolationError extends PpmError {
  readonly code = 'contract_violation';
  readonly retryable = false;
}

/** Another process holds the wave (it is running elsewhere). */
export class ConflictError extends PpmError {
  readonly code = 'conflict';
  readonly retryable = false;
}

/** Refusal to touch data that is already there (for example seeding a non-empty legacy database). */
export class RefusedError extends PpmError {
  readonly code = 'refused';
  readonly retryable = false;
}

export function isRetryable(error: unknown): boolean {
  return error instanceof PpmError ? error.retryable : true;
}

/** Redis, which holds the queues, cannot be reached. */
export class QueueUnavailableError extends PpmError {
  readonly code = 'queue_unavailable';
  readonly retryable = true;
}

/** A bounded wait ran out (for example `wave run` waiting for its jobs): the work itself goes on. */
export class WaitTimeoutError extends PpmError {
  readonly code = 'timeout';
  readonly retryable = false;
}
