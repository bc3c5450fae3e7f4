import type { ArchiveEntity, PartnerDigest, RangeChecksum } from '../core/canonical';
import type { ReplayOrder } from '../core/replay-model';
import type { PartnerScope } from './model';
import type { PartnerAccounting } from './sql/read-accounted-keys';
import type { ArchiveDigests } from './sql/read-archive-digests';
import type { MappingCombination, OrderedAtOutlier } from './sql/read-archive-mappings';
import type { DanglingReference } from './sql/read-dangling-references';
import type { AccountSideRows, HashedTable } from './sql/read-marketplace-rows';

/**
 * The aggregates of a chunk of partners that every check starts from, read by the pipeline
 * before any check is computed: one statement per question for all the partners, not per partner.
 */
export interface PartnerCheckInputs {
  /** Per archive entity, the legacy digests: each entity's archive checks wait for its own only. */
  legacyDigests: ReadonlyMap<ArchiveEntity, Promise<ReadonlyMap<number, PartnerDigest>>>;
  archive: ArchiveDigests;
  accounting: ReadonlyMap<number, PartnerAccounting>;
  /** Per partner, the archive's mapping combinations, order lines' included. */
  mappings: ReadonlyMap<number, MappingCombination[]>;
  outliers: ReadonlyMap<number, OrderedAtOutlier[]>;
  dangling: ReadonlyMap<number, DanglingReference[]>;
  accountSide: ReadonlyMap<number, AccountSideRows>;
  /** Per hashed marketplace table, each partner's stored row checksum. */
  hashes: ReadonlyMap<HashedTable, ReadonlyMap<number, RangeChecksum>>;
  /** The partners' order histories as the subscription replay reads them (a scoped partner's: its refs' lines only). */
  replayOrders: { ordersOf(partnerId: number): ReplayOrder[] };
  /**
   * The partners checked over a scope only (their archive, agreements and subscriptions; the
   * aggregates above are already of the scope); a partner absent is checked whole.
   */
  scopes?: ReadonlyMap<number, PartnerScope>;
}
