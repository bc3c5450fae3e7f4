import { oneLine } from '../../one-line';
import { selectList } from '../columns';
import type { MariaDbQuery } from './query';
import { rowVerAtMost } from './query';

export function buildReadPartnerQuery(partnerId: number, watermark: string): MariaDbQuery {
  const params: unknown[] = [partnerId];
  const sql = oneLine`
    SELECT ${selectList('Partners')} FROM \`Partners\`
    WHERE \`PartnerId\` = ? AND ${rowVerAtMost('`RowVer`', watermark, params)}`;
  return { sql, params };
}
