import type { KeyRange } from '../../../core/key-range';
import type { PartnersTable } from '../../source-reader';
import type { MssqlParam, MssqlQuery } from './query';
import { partnerIdsIn } from './query';
import { buildKeysetPageQuery } from './read-partner-rows-page';

/** A keyset page of the rows of many partners (at the watermark; a null one reads rows as they are now), the ids as one parameter split on the server. */
export function buildRowsOfPartnersPageQuery(
  table: PartnersTable,
  partnerIds: ReadonlyArray<number>,
  range: KeyRange,
  watermark: string | null,
  limit: number,
): MssqlQuery {
  const partners = (params: MssqlParam[]) => partnerIdsIn(partnerIds, params);
  return buildKeysetPageQuery(table, partners, range, watermark, limit);
}
