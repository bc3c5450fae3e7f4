import { oneLine } from '../../one-line';
import type { MariaDbQuery } from './query';
import { rowVerAtMost } from './query';

/**
 * All seven counts in one round trip. Lines are counted like the streams read them: every line
 * (RowVer <= wm) of the partner's parents, whatever the parent's RowVer. `?` is positional, so
 * the partner and the watermark are bound again for each count.
 */
export function buildCountPartnerRowsQuery(partnerId: number, watermark: string): MariaDbQuery {
  const params: unknown[] = [];
  const own = (table: string) => {
    params.push(partnerId);
    return oneLine`
      (SELECT COUNT(*) FROM \`${table}\`
      WHERE \`PartnerId\` = ? AND ${rowVerAtMost('`RowVer`', watermark, params)})`;
  };
  const lines = (table: string, parent: string, key: string) => {
    params.push(partnerId);
    return oneLine`
      (SELECT COUNT(*) FROM \`${table}\` l JOIN \`${parent}\` p ON p.\`${key}\` = l.\`${key}\`
      WHERE p.\`PartnerId\` = ? AND ${rowVerAtMost('l.`RowVer`', watermark, params)})`;
  };
  const sql = oneLine`
    SELECT ${own('Partners')} AS partner, ${own('PartnerUsers')} AS user, ${own('Customers')} AS customer,
      ${own('Orders')} AS \`order\`, ${lines('OrderLines', 'Orders', 'OrderId')} AS order_line,
      ${own('Invoices')} AS invoice, ${lines('InvoiceLines', 'Invoices', 'InvoiceId')} AS invoice_line`;
  return { sql, params };
}
