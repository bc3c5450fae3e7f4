import { EngineSourceReader, type EngineDialect } from '../engine-source-reader';
import type sql from 'mssql';
import { connectMssqlPool, describeMssqlUrl } from './connect';
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
import { translateMssqlError } from './translate-error';

export interface MssqlSourceReaderOptions {
  /** node-mssql pool size; default 4. */
  poolMax?: number;
}

/** The SQL Server statements, converters and error translation behind the shared reader. */
export const MSSQL_DIALECT: EngineDialect<sql.ConnectionPool> = {
  engine: 'mssql',
  converters,
  translateError: translateMssqlError,
  async close(db) {
    await db.close();
  },
  readWatermark, listPartnerIds, readPartner, readPartnerRowsPage, readLinesOfParents, readPartitionBounds, countPartnerRows,
  countRowsByPartner, readRangeChecksums, readKeyChecksums, readCanonicalRows, readPartnerDigests, readRowsOfPartnersPage,
  updatePortalMode,
};

/** The legacy database on SQL Server; see SourceReader. */
export class MssqlSourceReader extends EngineSourceReader<sql.ConnectionPool> {
  private constructor(db: sql.ConnectionPool, where: string) {
    super(MSSQL_DIALECT, db, where);
  }

  /** Opens the pool and checks the server answers, so a bad URL fails here rather than mid-wave. */
  static async open(url: string, options: MssqlSourceReaderOptions = {}): Promise<MssqlSourceReader> {
    const where = describeMssqlUrl(url);
    try {
      return new MssqlSourceReader(await connectMssqlPool(url, { poolMax: options.poolMax }), where);
    } catch (error) {
      throw translateMssqlError(error, 'connect', where);
    }
  }
}
