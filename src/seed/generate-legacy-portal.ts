import { ChunkSink } from './chunk-sink';
import { writePartnerGraph } from './partner-graph';
import { PortalPlan } from './partner-profile';
import { PortalIds } from './portal-ids';
import type { SeedChunk, SeedOptions } from './seed-types';
import { sharedAddresses } from './user-rows';

/**
 * Generates a synthetic legacy Partner Portal: deterministic (same options, same rows, byte
 * for byte), pure (no I/O, no clock), with production-like proportions and dirty data.
 * Yields chunks of at most 5000 rows of one table, in foreign-key order, every row with its
 * explicit primary key; partners are generated one after the other, so memory does not grow
 * with `targetRows`. Keys grow monotonically across the portal.
 */
export function* generateLegacyPortal(options: SeedOptions): Generator<SeedChunk> {
  const plan = new PortalPlan(options);
  const ids = new PortalIds();
  const sink = new ChunkSink();
  const shared = sharedAddresses(plan.seed);
  for (let index = 0; index < plan.partners; index++) {
    yield* writePartnerGraph(plan.profile(index), plan.seed, ids, sink, shared);
  }
  sink.release();
  yield* sink.drain();
}
