/**
 * A list of partner ids fit to stand in a statement of either database (as literals or one split
 * parameter): non-empty, every id a safe integer. Returns the ids joined by `separator`.
 */
export function joinPartnerIds(partnerIds: ReadonlyArray<number>, separator: string): string {
  if (partnerIds.length === 0) throw new RangeError('at least one partner id');
  for (const id of partnerIds)
    if (!Number.isSafeInteger(id)) throw new RangeError(`partner id must be an integer, got ${id}`);
  return partnerIds.join(separator);
}
