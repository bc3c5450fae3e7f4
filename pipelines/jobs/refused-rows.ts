import type { BatchResult } from '../../src/core/outcomes';
import { redactText } from '../../src/core/redact';
import { legacyRowOfRefused, RejectedRowError } from '../../src/load';
import { refusalKey } from '../../src/transform';

/**
 * `refused` and the legacy row behind the marketplace row of `result` that `error` says the
 * target refused (`refusalKey` -> the database's message, redacted): transformed again with it,
 * that row is quarantined `target_refused`. Undefined when `error` is no refusal of a row of
 * `result`, or one refused before (nothing left to take out).
 */
export function withRefusal(
  refused: ReadonlyMap<string, string> | undefined,
  result: BatchResult,
  error: unknown,
): Map<string, string> | undefined {
  if (!(error instanceof RejectedRowError)) return undefined;
  const origin = legacyRowOfRefused(result, error);
  if (!origin) return undefined;
  const key = refusalKey(origin.entity, origin.legacyKey);
  if (refused?.has(key)) return undefined;
  return new Map(refused ?? []).set(key, redactText(origin.why));
}
