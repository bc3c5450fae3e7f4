import type { MoneySum } from '../../../core/canonical';
import { trimExpression } from './canonical-sql';
import type { MariaDbQuery, MariaDbQueryable } from './query';
import { rowVerAtMost, selectRows } from './query';

/** Order totals and invoice net, tax and gross of one partner per (currency, month), summed exactly by MariaDB. */
export function buildMoneySumsQuery(partnerId: number, watermark: string): MariaDbQuery {
  const params: unknown[] = [partnerId];
  const orders = `SELECT 'order' AS entity, UPPER(${trimExpression('`CurrencyCode`')}) AS currency, DATE_FORMAT(\`OrderDate\`, '%Y-%m') AS month,`
    + ` COUNT(*) AS n, CAST(SUM(\`TotalAmount\`) AS CHAR) AS a1, NULL AS a2, NULL AS a3 FROM \`Orders\``
    + ` WHERE \`PartnerId\` = ? AND ${rowVerAtMost('`RowVer`', watermark, params)} GROUP BY currency, month`;
  const invoiceParams: unknown[] = [partnerId];
  const invoices = `SELECT 'invoice', UPPER(${trimExpression('`CurrencyCode`')}), DATE_FORMAT(\`InvoiceDate\`, '%Y-%m'),`
    + ` COUNT(*), CAST(SUM(\`NetAmount\`) AS CHAR), CAST(SUM(\`TaxAmount\`) AS CHAR), CAST(SUM(\`GrossAmount\`) AS CHAR) FROM \`Invoices\``
    + ` WHERE \`PartnerId\` = ? AND ${rowVerAtMost('`RowVer`', watermark, invoiceParams)} GROUP BY 2, 3`;
  return { sql: `${orders} UNION ALL ${invoices}`, params: [...params, ...invoiceParams] };
}

export async function readMoneySums(db: MariaDbQueryable, partnerId: number, watermark: string): Promise<MoneySum[]> {
  const rows = await selectRows(db, buildMoneySumsQuery(partnerId, watermark));
  return rows.map((row): MoneySum => ({
    entity: row.entity as 'order' | 'invoice',
    currency: String(row.currency),
    month: String(row.month),
    count: Number(row.n),
    amounts: row.entity === 'order' ? { total: String(row.a1) } as Record<string, string> : { net: String(row.a1), tax: String(row.a2), gross: String(row.a3) },
  }));
}
