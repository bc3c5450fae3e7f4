import { legacyEngineOf, type LegacyEngineName } from '../core/config';
import type { EngineDialect } from './engine-dialect';
import { EngineLegacyAdmin } from './engine-legacy-admin';
import { openEngineSourceReader } from './engine-source-reader';
import type { LegacyAdmin, SourceReader } from './source-reader';

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
  /** Longest a statement of the reader may run, in ms (0: no limit); default the engine's. */
  queryTimeoutMs?: number;
}

/** The two entry points of an engine, over its dialect. */
interface LegacyEngine {
  openSourceReader(config: LegacyEngineConfig): Promise<SourceReader>;
  openLegacyAdmin(config: LegacyEngineConfig): Promise<LegacyAdmin>;
}

function engineOver<Db, Query>(dialect: EngineDialect<Db, Query>): LegacyEngine {
  return {
    openSourceReader: (config) => openEngineSourceReader(dialect, config.url, config.poolSize, config.queryTimeoutMs),
    openLegacyAdmin: async (config) => new EngineLegacyAdmin(dialect, config.url),
  };
}

/** The one map from engine name to dialect; loaders are lazy so only the used driver is required. */
const ENGINES: Record<LegacyEngineName, () => Promise<LegacyEngine>> = {
  mssql: async () => engineOver((await import('./mssql')).MSSQL_DIALECT),
  mariadb: async () => engineOver((await import('./mariadb')).MARIADB_DIALECT),
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
