/**
 * A scope of reconciliation: per partner, the keys of the orders (or invoices) whose rows, and
 * the lines of which, are checked, and nothing else of the partner's archive. Every engine and
 * the target read a scope as (partner, key) pairs, so a key counts only for the partner it is listed under.
 */
import { checkKey } from './key-range';

/** Per partner, parent keys (orders or invoices); a partner absent from the map is read whole. */
export type ScopedKeys = ReadonlyMap<number, ReadonlyArray<number>>;

/** A scope as parallel arrays of (partner, key) pairs: each key once per partner, in (partner, key) order, every value checked an integer. */
export function scopedKeyPairs(scope: ScopedKeys): { partners: number[]; keys: number[] } {
  const partners: number[] = [];
  const keys: number[] = [];
  for (const partnerId of [...scope.keys()].sort((a, b) => a - b)) {
    checkKey(partnerId);
    for (const key of [...new Set(scope.get(partnerId))].sort((a, b) => a - b)) {
      partners.push(partnerId);
      keys.push(checkKey(key));
    }
  }
  return { partners, keys };
}

/** The partners of `partnerIds` a scope leaves whole (absent from it), and the scope's pairs. */
export function splitByScope(
  partnerIds: ReadonlyArray<number>,
  scope: ScopedKeys | undefined,
): { whole: number[]; pairs: { partners: number[]; keys: number[] } } {
  if (scope === undefined) return { whole: [...partnerIds], pairs: { partners: [], keys: [] } };
  const wanted = new Set(partnerIds);
  const scoped = new Map([...scope].filter(([partnerId]) => wanted.has(partnerId)));
  return { whole: partnerIds.filter((id) => !scope.has(id)), pairs: scopedKeyPairs(scoped) };
}
