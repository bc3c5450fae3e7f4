import { legacyEngineOf, type LegacyEngineName } from '../core/config';
import type { LegacyAdmin, SourceReader } from './source-reader';

/** What every engine folder exports from its `index.ts`. */
export interface LegacyEngine {
  openSourceReader(config: LegacyEngineConfig): Promise<SourceReader>;
  openLegacyAdmin(config: LegacyEngineConfig): Promise<LegacyAdmin>;
}

export interface LegacyEngineConfig {
  /** `mssql://user:password@host:port/database` or `mysql://user@host:port/database`. */
  url: string;
  /**
   * The portal's local zone (default Europe/Zurich). Readers hand DATETIME on as written, so
   * no engine needs it today; it is accepted so callers need not know that.
   */
  timeZone?: string;
  /** Connections the reader may hold at once; default 4 (or the URL's own setting). */
  poolSize?: number;
}

/** The one map from engine name to loader; loaders are lazy so only the used driver is required. */
const ENGINES: Record<LegacyEngineName, () => Promise<LegacyEngine>> = {
  mssql: async () => import('./mssql'),
  mariadb: async () => import('./mariadb'),
};

function engineFor(url: string): Promise<LegacyEngine> {
  return ENGINES[legacyEngineOf(url)]();
}

/** The legacy database reader for `config.url`'s engine. */
export async function openSourceReader(config: LegacyEngineConfig): Promise<SourceReader> {
  return (await engineFor(config.url)).openSourceReader(config);
}

/** Administration (schema, seed) of the legacy database for `config.url`'s engine. */
export async function openLegacyAdmin(config: LegacyEngineConfig): Promise<LegacyAdmin> {
  return (await engineFor(config.url)).openLegacyAdmin(config);
}
