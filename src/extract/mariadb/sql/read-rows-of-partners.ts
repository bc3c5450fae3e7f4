import type { KeyRange } from '../../../core/key-range';
import type { PartnersTable } from '../../source-reader';
import { partnerIdList } from './canonical-sql';
import type { MariaDbQuery } from './query';
import { buildKeysetPageQuery } from './read-partner-rows-page';

/** A keyset page of the rows of many partners (at the watermark; a null one reads rows as they are now), the ids as validated literals. */
export function buildRowsOfPartnersPageQuery(
  table: PartnersTable,
  partnerIds: ReadonlyArray<number>,
  range: KeyRange,
  watermark: string | null,
  limit: number,
): MariaDbQuery {
  return buildKeysetPageQuery(table, `IN (${partnerIdList(partnerIds)})`, [], range, watermark, limit);
}
