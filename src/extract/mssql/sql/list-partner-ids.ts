import { idsIn, type MssqlParam, type MssqlQuery } from './query';

/** Ids travel as one XML parameter (idsIn): no 2100-parameter limit, no SQL built from values. */
export function buildListPartnerIdsQuery(options: { ids?: number[]; limit?: number } = {}): MssqlQuery {
  const params: MssqlParam[] = [];
  let top = '';
  if (options.limit !== undefined) {
    params.push({ name: 'limit', type: 'Int', value: options.limit });
    top = 'TOP (@limit) ';
  }
  let where = '';
  if (options.ids) {
    where = ` WHERE [PartnerId] ${idsIn('ids', options.ids, params)}`;
  }
  return { sql: `SELECT ${top}[PartnerId] FROM [dbo].[Partners]${where} ORDER BY [PartnerId]`, params };
}
