import { EngineSourceReader, type EngineDialect } from '../engine-source-reader';
import type { Pool } from 'mysql2/promise';
import { createMariaDbPool, describeMariaDbUrl } from './connect';
import * as converters from './convert-row';
import { countPartnerRows } from './sql/count-partner-rows';
import { countRowsByPartner } from './sql/count-rows-by-partner';
import { listPartnerIds } from './sql/list-partner-ids';
import { readKeyChecksums, readPartnerDigests, readRangeChecksums } from './sql/range-checksums';
import { readCanonicalRows } from './sql/read-canonical-rows';
import { readLinesOfParents } from './sql/read-lines-of-parents';
import { readPartitionBounds } from './sql/read-partition-bounds';
import { readPartner } from './sql/read-partner';
import { readPartnerRowsPage } from './sql/read-partner-rows-page';
import { readRowsOfPartnersPage } from './sql/read-rows-of-partners';
import { readWatermark } from './sql/read-watermark';
import { updatePortalMode } from './sql/update-portal-mode';
import { translateMariaDbError } from './translate-error';

export interface MariaDbSourceReaderOptions {
  /** mysql2 pool size; default 4. */
  connectionLimit?: number;
}

/** The MariaDB stand-in statements, converters and error translation behind the shared reader. */
export const MARIADB_DIALECT: EngineDialect<Pool> = {
  engine: 'mariadb',
  converters,
  translateError: translateMariaDbError,
  async close(db) {
    await db.end();
  },
  readWatermark, listPartnerIds, readPartner, readPartnerRowsPage, readLinesOfParents, readPartitionBounds, countPartnerRows,
  countRowsByPartner, readRangeChecksums, readKeyChecksums, readCanonicalRows, readPartnerDigests, readRowsOfPartnersPage,
  updatePortalMode,
};

/** The legacy database on the MariaDB stand-in; see SourceReader. */
export class MariaDbSourceReader extends EngineSourceReader<Pool> {
  private constructor(db: Pool, where: string) {
    super(MARIADB_DIALECT, db, where);
  }

  /** Opens the pool and checks the server answers, so a bad URL fails here rather than mid-wave. */
  static async open(url: string, options: MariaDbSourceReaderOptions = {}): Promise<MariaDbSourceReader> {
    const where = describeMariaDbUrl(url);
    const pool = createMariaDbPool(url, { connectionLimit: options.connectionLimit });
    try {
      await pool.query('SELECT 1');
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw translateMariaDbError(error, 'connect', where);
    }
    return new MariaDbSourceReader(pool, where);
  }
}
