import { ConfigurationError } from '../core/errors';

/** The parts of a legacy database URL (`scheme://user:password@host:port/database?options`), decoded. */
export interface LegacyUrl {
  host: string;
  /** Absent when the URL names none: the engine's default applies. */
  port?: number;
  user: string;
  password: string;
  /** Empty when the URL names none. */
  database: string;
  options: URLSearchParams;
}

export function parseLegacyUrl(url: string): LegacyUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError('legacy database URL is not a valid URL');
  }
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : undefined,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
    options: parsed.searchParams,
  };
}

/** Connections a pool may hold: the caller's choice, else the URL's option when positive, else 4. */
export function poolSizeOf(chosen: number | undefined, fromUrl: string | null): number {
  const asked = Number(fromUrl);
  return chosen ?? (asked > 0 ? asked : 4);
}
