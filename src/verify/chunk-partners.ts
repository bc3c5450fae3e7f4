/**
 * Consecutive partners in chunks of about `rows` archived parents each (`sizes`, per partner).
 * A partner is never split, and every chunk holds at least one partner.
 */
export function chunkPartners(partnerIds: number[], sizes: ReadonlyMap<number, number>, rows: number): number[][] {
  const chunks: number[][] = [];
  let chunk: number[] = [];
  let filled = 0;
  for (const partnerId of partnerIds) {
    const size = sizes.get(partnerId) ?? 0;
    if (chunk.length > 0 && filled + size > rows) {
      chunks.push(chunk);
      chunk = [];
      filled = 0;
    }
    chunk.push(partnerId);
    filled += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
