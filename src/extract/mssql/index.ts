import type { LegacyAdmin, SourceReader } from '../source-reader';
import { ConfigurationError } from '../../core/errors';

/** Placeholder until the SQL Server engine lands (same commit series). */
export function openSourceReader(_config: { url: string }): Promise<SourceReader> {
  return Promise.reject(new ConfigurationError('mssql engine not implemented yet'));
}

export function openLegacyAdmin(_config: { url: string }): Promise<LegacyAdmin> {
  return Promise.reject(new ConfigurationError('mssql engine not implemented yet'));
}
