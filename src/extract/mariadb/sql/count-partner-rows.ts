import type { PartnerRowCounts } from '../../source-reader';
import type { MariaDbQuery, MariaDbQueryable } from './query';
import { rowVerAtMost, selectRows } from './query';

/**
 * All seven counts in one round trip. Lines are counted like the streams read them: every line
 * (RowVer <= wm) of the partner's parents, whatever the parent's RowVer.
 */
export function buildCountPartnerRowsQuery(partnerId: number, watermark: string): MariaDbQuery {
  const params: unknown[] = [];
  const own = (table: string) => {
    params.push(partnerId);
    return `(SELECT COUNT(*) FROM \`${table}\` WHERE \`PartnerId\` = ? AND ${rowVerAtMost('`RowVer`', watermark, params)})`;
  };
  const lines = (table: string, parent: string, key: string) => {
    params.push(partnerId);
    return `(SELECT COUNT(*) FROM \`${table}\` l JOIN \`${parent}\` p ON p.\`${key}\` = l.\`${key}\``
      + ` WHERE p.\`PartnerId\` = ? AND ${rowVerAtMost('l.`RowVer`', watermark, params)})`;
  };
  const sql = `SELECT ${own('Partners')} AS partner, ${own('PartnerUsers')} AS user, ${own('Customers')} AS customer,`
    + ` ${own('Orders')} AS \`order\`, ${lines('OrderLines', 'Orders', 'OrderId')} AS order_line,`
    + ` ${own('Invoices')} AS invoice, ${lines('InvoiceLines', 'Invoices', 'InvoiceId')} AS invoice_line`;
  return { sql, params };
}

export async function countPartnerRows(db: MariaDbQueryable, partnerId: number, watermark: string): Promise<PartnerRowCounts> {
  const [row] = await selectRows(db, buildCountPartnerRowsQuery(partnerId, watermark));
  // COUNT(*) is BIGINT, which bigNumberStrings hands over as text.
  return {
    partner: Number(row.partner), user: Number(row.user), customer: Number(row.customer), order: Number(row.order),
    order_line: Number(row.order_line), invoice: Number(row.invoice), invoice_line: Number(row.invoice_line),
  };
}
