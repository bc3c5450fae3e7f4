import type { MoneySum } from '../../../core/canonical';
import { trimExpression } from './canonical-sql';
import type { MssqlParam, MssqlQuery, MssqlQueryable } from './query';
import { rowVerAtMost, selectRows } from './query';

/** Order totals and invoice amounts per (currency, month), summed by the server; money as style-2 text (four decimals). */
export function buildMoneySumsQuery(partnerId: number, watermark: string): MssqlQuery {
  const params: MssqlParam[] = [{ name: 'partnerId', type: 'Int', value: partnerId }];
  const wm = rowVerAtMost('[RowVer]', watermark, params);
  const orders = `SELECT 'order' AS [entity], UPPER(${trimExpression('[CurrencyCode]')}) AS [currency], CONVERT(char(7), [OrderDate], 23) AS [month],`
    + ' COUNT(*) AS [n], CONVERT(varchar(40), SUM([TotalAmount]), 2) AS [a1], NULL AS [a2], NULL AS [a3] FROM [dbo].[Orders]'
    + ` WHERE [PartnerId] = @partnerId AND ${wm} GROUP BY UPPER(${trimExpression('[CurrencyCode]')}), CONVERT(char(7), [OrderDate], 23)`;
  const invoices = `SELECT 'invoice', UPPER(${trimExpression('[CurrencyCode]')}), CONVERT(char(7), [InvoiceDate], 23), COUNT(*),`
    + ' CONVERT(varchar(40), SUM([NetAmount]), 2), CONVERT(varchar(40), SUM([TaxAmount]), 2), CONVERT(varchar(40), SUM([GrossAmount]), 2)'
    + ` FROM [dbo].[Invoices] WHERE [PartnerId] = @partnerId AND ${wm}`
    + ` GROUP BY UPPER(${trimExpression('[CurrencyCode]')}), CONVERT(char(7), [InvoiceDate], 23)`;
  return { sql: `${orders} UNION ALL ${invoices}`, params };
}

export async function readMoneySums(db: MssqlQueryable, partnerId: number, watermark: string): Promise<MoneySum[]> {
  const rows = await selectRows(db, buildMoneySumsQuery(partnerId, watermark));
  return rows.map((row): MoneySum => ({
    entity: row.entity as 'order' | 'invoice',
    currency: String(row.currency),
    month: String(row.month),
    count: Number(row.n),
    amounts: row.entity === 'order' ? { total: String(row.a1) } as Record<string, string> : { net: String(row.a1), tax: String(row.a2), gross: String(row.a3) },
  }));
}
