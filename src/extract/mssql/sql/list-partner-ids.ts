import type { MssqlParam, MssqlQuery } from './query';

/** Ids travel as one JSON array parameter: no 2100-parameter limit, no SQL built from values. */
export function buildListPartnerIdsQuery(options: { ids?: number[]; limit?: number } = {}): MssqlQuery {
  const params: MssqlParam[] = [];
  let top = '';
  if (options.limit !== undefined) {
    params.push({ name: 'limit', type: 'Int', value: options.limit });
    top = 'TOP (@limit) ';
  }
  let where = '';
  if (options.ids) {
    params.push({ name: 'ids', type: 'NVarCharMax', value: JSON.stringify(options.ids) });
    where = ' WHERE [PartnerId] IN (SELECT CONVERT(int, [value]) FROM OPENJSON(@ids))';
  }
  return { sql: `SELECT ${top}[PartnerId] FROM [dbo].[Partners]${where} ORDER BY [PartnerId]`, params };
}
