import { PORTAL_MARKER_NOTE, PORTAL_MARKER_TABLE } from '../../portal-marker';
import type { MariaDbQuery, MariaDbQueryable } from './query';

/** The marker table and its one row (idempotent): created with the schema by `ppm legacy init|seed`. */
export const CREATE_PORTAL_MARKER_QUERIES: readonly MariaDbQuery[] = [
  {
    sql:
      `CREATE TABLE IF NOT EXISTS \`${PORTAL_MARKER_TABLE}\` (\`Note\` VARCHAR(200) NOT NULL, ` +
      '`CreatedAtUtc` DATETIME(3) NOT NULL DEFAULT (UTC_TIMESTAMP(3))) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci',
    params: [],
  },
  {
    sql:
      `INSERT INTO \`${PORTAL_MARKER_TABLE}\` (\`Note\`) SELECT ? FROM DUAL ` +
      `WHERE NOT EXISTS (SELECT 1 FROM \`${PORTAL_MARKER_TABLE}\`)`,
    params: [PORTAL_MARKER_NOTE],
  },
];

export async function createPortalMarker(db: MariaDbQueryable): Promise<void> {
  for (const query of CREATE_PORTAL_MARKER_QUERIES) await db.query(query.sql, query.params);
}
