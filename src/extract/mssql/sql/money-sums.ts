import { toMoneySums, type MoneySum } from '../../../core/canonical';
import { trimExpression } from './canonical-sql';
import type { MssqlParam, MssqlQuery, MssqlQueryable } from './query';
import { partnerIdsIn, rowVerAtMost, selectRows } from './query';

/** Order totals and invoice amounts per (partner, currency, month), summed by the server; money as style-2 text (four decimals). */
export function buildMoneySumsQuery(partnerIds: ReadonlyArray<number>, watermark: string): MssqlQuery {
  const params: MssqlParam[] = [];
  const partners = partnerIdsIn(partnerIds, params);
  const wm = rowVerAtMost('[RowVer]', watermark, params);
  const currency = `UPPER(${trimExpression('[CurrencyCode]')})`;
  const orders = `SELECT [PartnerId] AS [pid], 'order' AS [entity], ${currency} AS [currency], CONVERT(char(7), [OrderDate], 23) AS [month],`
    + ' COUNT(*) AS [n], CONVERT(varchar(40), SUM([TotalAmount]), 2) AS [a1], NULL AS [a2], NULL AS [a3] FROM [dbo].[Orders]'
    + ` WHERE [PartnerId] ${partners} AND ${wm} GROUP BY [PartnerId], ${currency}, CONVERT(char(7), [OrderDate], 23)`;
  const invoices = `SELECT [PartnerId], 'invoice', ${currency}, CONVERT(char(7), [InvoiceDate], 23), COUNT(*),`
    + ' CONVERT(varchar(40), SUM([NetAmount]), 2), CONVERT(varchar(40), SUM([TaxAmount]), 2), CONVERT(varchar(40), SUM([GrossAmount]), 2)'
    + ` FROM [dbo].[Invoices] WHERE [PartnerId] ${partners} AND ${wm}`
    + ` GROUP BY [PartnerId], ${currency}, CONVERT(char(7), [InvoiceDate], 23)`;
  return { sql: `${orders} UNION ALL ${invoices}`, params };
}

export async function readMoneySums(db: MssqlQueryable, partnerIds: ReadonlyArray<number>, watermark: string): Promise<Map<number, MoneySum[]>> {
  if (partnerIds.length === 0) return new Map();
  return toMoneySums(await selectRows(db, buildMoneySumsQuery(partnerIds, watermark)));
}
