import { InvalidArgumentError } from 'commander';

/** Parses an option value that must be a whole number above 0. */
export function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return parsed;
}

/** Parses an option value that must be a whole number, 0 or more. */
export function nonNegativeInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) throw new InvalidArgumentError('must be a whole number, 0 or more');
  return parsed;
}

/** Parses `1,2,3` into legacy partner ids. */
export function partnerList(value: string): number[] {
  const ids = value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map(Number);
  if (ids.length === 0 || ids.some((id) => !Number.isSafeInteger(id) || id <= 0)) {
    throw new InvalidArgumentError('must be a comma-separated list of partner ids, e.g. 1,2,3');
  }
  return ids;
}
