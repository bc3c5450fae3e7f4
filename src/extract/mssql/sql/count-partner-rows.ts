import { oneLine } from '../../one-line';
import type { MssqlParam, MssqlQuery } from './query';
import { rowVerAtMost } from './query';

/**
 * All seven counts in one round trip, each named parameter bound once; lines counted as the
 * streams read them (whatever the parent's RowVer).
 */
export function buildCountPartnerRowsQuery(partnerId: number, watermark: string): MssqlQuery {
  const params: MssqlParam[] = [{ name: 'partnerId', type: 'Int', value: partnerId }];
  const own = (table: string) => oneLine`
    (SELECT COUNT(*) FROM [dbo].[${table}]
    WHERE [PartnerId] = @partnerId AND ${rowVerAtMost('[RowVer]', watermark, params)})`;
  const lines = (table: string, parent: string, key: string) => oneLine`
    (SELECT COUNT(*) FROM [dbo].[${table}] AS l JOIN [dbo].[${parent}] AS p ON p.[${key}] = l.[${key}]
    WHERE p.[PartnerId] = @partnerId AND ${rowVerAtMost('l.[RowVer]', watermark, params)})`;
  const sql = oneLine`
    SELECT ${own('Partners')} AS [partner], ${own('PartnerUsers')} AS [user], ${own('Customers')} AS [customer],
      ${own('Orders')} AS [order], ${lines('OrderLines', 'Orders', 'OrderId')} AS [order_line],
      ${own('Invoices')} AS [invoice], ${lines('InvoiceLines', 'Invoices', 'InvoiceId')} AS [invoice_line]`;
  return { sql, params };
}
