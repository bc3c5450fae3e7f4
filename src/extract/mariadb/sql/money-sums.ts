import { toMoneySums, type MoneySum } from '../../../core/canonical';
import { partnerIdList, trimExpression } from './canonical-sql';
import type { MariaDbQuery, MariaDbQueryable } from './query';
import { rowVerAtMost, selectRows } from './query';

/** Order totals and invoice net, tax and gross per (partner, currency, month), summed exactly by MariaDB. */
export function buildMoneySumsQuery(partnerIds: ReadonlyArray<number>, watermark: string): MariaDbQuery {
  const ids = partnerIdList(partnerIds);
  const params: unknown[] = [];
  const orders = `SELECT \`PartnerId\` AS pid, 'order' AS entity, UPPER(${trimExpression('`CurrencyCode`')}) AS currency,`
    + ` DATE_FORMAT(\`OrderDate\`, '%Y-%m') AS month, COUNT(*) AS n, CAST(SUM(\`TotalAmount\`) AS CHAR) AS a1, NULL AS a2, NULL AS a3`
    + ` FROM \`Orders\` WHERE \`PartnerId\` IN (${ids}) AND ${rowVerAtMost('`RowVer`', watermark, params)} GROUP BY pid, currency, month`;
  const invoices = `SELECT \`PartnerId\`, 'invoice', UPPER(${trimExpression('`CurrencyCode`')}), DATE_FORMAT(\`InvoiceDate\`, '%Y-%m'),`
    + ` COUNT(*), CAST(SUM(\`NetAmount\`) AS CHAR), CAST(SUM(\`TaxAmount\`) AS CHAR), CAST(SUM(\`GrossAmount\`) AS CHAR) FROM \`Invoices\``
    + ` WHERE \`PartnerId\` IN (${ids}) AND ${rowVerAtMost('`RowVer`', watermark, params)} GROUP BY 1, 3, 4`;
  return { sql: `${orders} UNION ALL ${invoices}`, params };
}

export async function readMoneySums(db: MariaDbQueryable, partnerIds: ReadonlyArray<number>, watermark: string): Promise<Map<number, MoneySum[]>> {
  if (partnerIds.length === 0) return new Map();
  return toMoneySums(await selectRows(db, buildMoneySumsQuery(partnerIds, watermark)));
}
