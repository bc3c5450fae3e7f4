/**
 * Consecutive items in groups of up to `budget` weight and `maxItems` items each, in the order
 * given; an item is never split, and every group holds at least one (an item heavier than the
 * budget is a group of its own). The one packing rule of the pipeline's batches: small partners
 * into load jobs, partners into verification chunks and into sync transactions.
 */
export function packByWeight<T>(
  items: Iterable<T>,
  weightOf: (item: T) => number,
  budget: number,
  maxItems = Number.POSITIVE_INFINITY,
): T[][] {
  const groups: T[][] = [];
  let group: T[] = [];
  let weight = 0;
  for (const item of items) {
    const own = weightOf(item);
    if (group.length > 0 && (weight + own > budget || group.length >= maxItems)) {
      groups.push(group);
      group = [];
      weight = 0;
    }
    group.push(item);
    weight += own;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}
