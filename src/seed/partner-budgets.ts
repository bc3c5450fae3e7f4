import { Prng } from './prng';

/** Share of all rows held by the largest partner (it must be split into partitions). */
const LARGEST_SHARE = 0.15;
/** Share held by the other top partners together, at most. */
const OTHER_TOP_SHARE = 0.27;
/** Fraction of partners that are "top" partners. */
const TOP_FRACTION = 0.015;
/** Spread of the long tail (log-normal sigma). */
const TAIL_SIGMA = 1.1;
/** Fewest rows any partner gets: the partner, a user, two customers and a few orders. */
export const MIN_PARTNER_ROWS = 20;

/** Rows per partner (fractional budgets) and which partners are the top ones. */
export interface PartnerBudgets {
  rows: Float64Array;
  top: Uint8Array;
}

/**
 * How the target rows are spread over partners: a few very large partners (the largest alone
 * LARGEST_SHARE, the other top ones at most OTHER_TOP_SHARE together) and a log-normal long tail.
 * O(partners) memory.
 */
export function partnerBudgets(partners: number, targetRows: number, seed: number): PartnerBudgets {
  const rng = new Prng(seed, -1);
  const weights = new Float64Array(partners);
  const top = new Uint8Array(partners);
  for (let i = 0; i < partners; i++) weights[i] = Math.exp(TAIL_SIGMA * rng.normal());
  if (partners >= 20) {
    const topCount = Math.max(2, Math.round(partners * TOP_FRACTION));
    const order = Array.from({ length: partners }, (_, i) => i);
    for (let k = 0; k < topCount; k++) {
      const j = k + Math.floor(rng.next() * (partners - k));
      [order[k], order[j]] = [order[j], order[k]];
    }
    const others = Array.from({ length: topCount - 1 }, (_, k) => 0.14 * 0.88 ** k);
    const othersTotal = others.reduce((sum, share) => sum + share, 0);
    const scale = othersTotal > OTHER_TOP_SHARE ? OTHER_TOP_SHARE / othersTotal : 1;
    const topShare = LARGEST_SHARE + othersTotal * scale;
    let tailTotal = 0;
    for (let k = 0; k < topCount; k++) top[order[k]] = 1;
    for (let i = 0; i < partners; i++) if (!top[i]) tailTotal += weights[i];
    for (let i = 0; i < partners; i++) if (!top[i]) weights[i] = (weights[i] / tailTotal) * (1 - topShare);
    weights[order[0]] = LARGEST_SHARE;
    for (let k = 1; k < topCount; k++) weights[order[k]] = others[k - 1] * scale;
  } else {
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    for (let i = 0; i < partners; i++) weights[i] /= total;
  }
  const rows = new Float64Array(partners);
  for (let i = 0; i < partners; i++) rows[i] = Math.max(MIN_PARTNER_ROWS, weights[i] * targetRows);
  return { rows, top };
}
