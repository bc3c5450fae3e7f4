import type { LegacyAdmin, SourceReader } from '../source-reader';
import { MariaDbLegacyAdmin } from './mariadb-legacy-admin';
import { MariaDbSourceReader } from './mariadb-source-reader';

/** The engine's entry points, as `engines.ts` loads them. */
export function openSourceReader(config: { url: string; poolSize?: number }): Promise<SourceReader> {
  return MariaDbSourceReader.open(config.url, { connectionLimit: config.poolSize });
}

export async function openLegacyAdmin(config: { url: string }): Promise<LegacyAdmin> {
  return new MariaDbLegacyAdmin(config.url);
}

export { MariaDbLegacyAdmin, MariaDbSourceReader };
