import type { LegacyAdmin, SourceReader } from '../source-reader';
import { MssqlLegacyAdmin } from './mssql-legacy-admin';
import { MssqlSourceReader } from './mssql-source-reader';

/** The engine's entry points, as `engines.ts` loads them. */
export function openSourceReader(config: { url: string; poolSize?: number }): Promise<SourceReader> {
  return MssqlSourceReader.open(config.url, { poolMax: config.poolSize });
}

export async function openLegacyAdmin(config: { url: string }): Promise<LegacyAdmin> {
  return new MssqlLegacyAdmin(config.url);
}

export { MssqlLegacyAdmin, MssqlSourceReader };
