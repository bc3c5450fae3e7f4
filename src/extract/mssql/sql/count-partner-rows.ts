import type { PartnerRowCounts } from '../../source-reader';
import type { MssqlParam, MssqlQuery, MssqlQueryable } from './query';
import { rowVerAtMost, selectRows } from './query';

/** All seven counts in one round trip; lines counted as the streams read them (whatever the parent's RowVer). */
export function buildCountPartnerRowsQuery(partnerId: number, watermark: string): MssqlQuery {
  const params: MssqlParam[] = [{ name: 'partnerId', type: 'Int', value: partnerId }];
  const own = (table: string) => `(SELECT COUNT(*) FROM [dbo].[${table}] WHERE [PartnerId] = @partnerId AND ${rowVerAtMost('[RowVer]', watermark, params)})`;
  const lines = (table: string, parent: string, key: string) => `(SELECT COUNT(*) FROM [dbo].[${table}] AS l JOIN [dbo].[${parent}] AS p`
    + ` ON p.[${key}] = l.[${key}] WHERE p.[PartnerId] = @partnerId AND ${rowVerAtMost('l.[RowVer]', watermark, params)})`;
  const sql = `SELECT ${own('Partners')} AS [partner], ${own('PartnerUsers')} AS [user], ${own('Customers')} AS [customer],`
    + ` ${own('Orders')} AS [order], ${lines('OrderLines', 'Orders', 'OrderId')} AS [order_line],`
    + ` ${own('Invoices')} AS [invoice], ${lines('InvoiceLines', 'Invoices', 'InvoiceId')} AS [invoice_line]`;
  return { sql, params };
}

export async function countPartnerRows(db: MssqlQueryable, partnerId: number, watermark: string): Promise<PartnerRowCounts> {
  const [row] = await selectRows(db, buildCountPartnerRowsQuery(partnerId, watermark));
  return {
    partner: Number(row.partner), user: Number(row.user), customer: Number(row.customer), order: Number(row.order),
    order_line: Number(row.order_line), invoice: Number(row.invoice), invoice_line: Number(row.invoice_line),
  };
}
