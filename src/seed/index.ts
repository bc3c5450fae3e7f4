/** Synthetic legacy Partner Portal data for `ppm legacy seed`, demos, benches and tests. */
export { generateLegacyPortal } from './generate-legacy-portal';
export { planSeed } from './plan-seed';
export { DIRTY_RATES } from './dirty-rates';
export {
  MAX_CHUNK_ROWS,
  SEED_TABLES,
  type SeedChunk,
  type SeedOptions,
  type SeedPlan,
  type SeedRow,
  type SeedTable,
} from './seed-types';
