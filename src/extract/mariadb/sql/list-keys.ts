import type { MariaDbQuery, MariaDbQueryable } from './query';
import { rowVerAtMost, selectRows } from './query';

/** The partner-owned entities small enough to list key by key. */
export type ListedEntity = 'partner' | 'user' | 'customer';

const TABLES: Record<ListedEntity, { table: string; key: string }> = {
  partner: { table: 'Partners', key: 'PartnerId' },
  user: { table: 'PartnerUsers', key: 'UserId' },
  customer: { table: 'Customers', key: 'CustomerId' },
};

export function buildListKeysQuery(entity: ListedEntity, partnerId: number, watermark: string): MariaDbQuery {
  const { table, key } = TABLES[entity];
  const params: unknown[] = [partnerId];
  return {
    sql: `SELECT \`${key}\` AS k FROM \`${table}\` WHERE \`PartnerId\` = ? AND ${rowVerAtMost('`RowVer`', watermark, params)} ORDER BY \`${key}\``,
    params,
  };
}

export async function listKeys(db: MariaDbQueryable, entity: ListedEntity, partnerId: number, watermark: string): Promise<number[]> {
  const rows = await selectRows(db, buildListKeysQuery(entity, partnerId, watermark));
  return rows.map((row) => Number(row.k));
}
