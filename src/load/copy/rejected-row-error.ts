import { ContractViolationError } from '../../core/errors';

/**
 * A batch row the target refused (bad value, constraint or foreign key), isolated by splitting
 * the batch. Not retryable: the row must be fixed, or transform must quarantine it.
 */
export class RejectedRowError extends ContractViolationError {
  constructor(
    message: string,
    /** Schema-qualified target table. */
    readonly table: string,
    /** Position of the row in the batch's (deduplicated) rows for that table, or null if no single row fails alone. */
    readonly rowIndex: number | null,
    /** The row's conflict key values, or null when no single row was isolated. */
    readonly key: Record<string, unknown> | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
