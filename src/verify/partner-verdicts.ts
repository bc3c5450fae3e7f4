import type { CheckResult } from './model';

/** A partner is verified when every one of its checks passed. */
export function partnerPassed(results: ReadonlyArray<CheckResult>): boolean {
  return results.every((result) => result.passed);
}

/** Checked partners split by verdict, each list in the order they were checked. */
export function partnersByVerdict(results: ReadonlyMap<number, ReadonlyArray<CheckResult>>): {
  passed: number[];
  failed: number[];
} {
  const passed: number[] = [];
  const failed: number[] = [];
  for (const [partnerId, checks] of results) (partnerPassed(checks) ? passed : failed).push(partnerId);
  return { passed, failed };
}
