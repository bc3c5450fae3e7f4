import { ContractViolationError } from '../../core/errors';
import type { TargetTableKey } from '../../core/target-model';

/**
 * A batch row the target refused (bad value, constraint or foreign key), isolated by splitting
 * the batch. Not retryable as it is: the caller quarantines the legacy row it came from
 * (`legacyRowsOfRefused`) and writes the batch again without it, or fails the batch.
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
    /** The refused row itself (the object the batch holds), or null when no single row was isolated. */
    readonly row: object | null = null,
    /** The target table's key in TARGET_TABLES, when known. */
    readonly tableKey: TargetTableKey | null = null,
    /** Why the target refused the row, in one line: the database's message and detail. */
    readonly why: string = message,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
