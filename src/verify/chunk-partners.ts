import { packByWeight } from '../core/pack-by-weight';

/**
 * Consecutive partners in chunks of about `rows` archived parents each (`sizes`, per partner).
 * A partner is never split, and every chunk holds at least one partner.
 */
export function chunkPartners(partnerIds: number[], sizes: ReadonlyMap<number, number>, rows: number): number[][] {
  return packByWeight(partnerIds, (partnerId) => sizes.get(partnerId) ?? 0, rows);
}
