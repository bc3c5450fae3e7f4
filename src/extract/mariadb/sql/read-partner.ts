import { selectList } from '../columns';
import type { MariaDbRawRow } from '../convert-row';
import type { MariaDbQuery, MariaDbQueryable } from './query';
import { rowVerAtMost, selectRows } from './query';

export function buildReadPartnerQuery(partnerId: number, watermark: string): MariaDbQuery {
  const params: unknown[] = [partnerId];
  const sql = `SELECT ${selectList('Partners')} FROM \`Partners\` WHERE \`PartnerId\` = ? AND ${rowVerAtMost('`RowVer`', watermark, params)}`;
  return { sql, params };
}

export async function readPartner(db: MariaDbQueryable, partnerId: number, watermark: string): Promise<MariaDbRawRow | undefined> {
  const rows = await selectRows(db, buildReadPartnerQuery(partnerId, watermark));
  return rows[0];
}
