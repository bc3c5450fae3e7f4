import { z } from 'zod';
import { ConfigurationError } from './errors';
import { redactUrl } from './redact';

/** `scheme://[credentials@]host:port`: the port as written, when the authority names one. */
const AUTHORITY_PORT = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#]*@)?(?:\[[^\]/?#]*\]|[^/?#:@[\]]*):([^/?#@]*)(?=[/?#]|$)/i;

/** True when the URL names no port, or a port from 1 to 65535. */
function portInRange(value: string): boolean {
  const port = AUTHORITY_PORT.exec(value)?.[1];
  if (port === undefined || port === '') return true;
  return /^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535;
}

/** The URL, or undefined when it does not parse or has no host (`mssql:sa:pw@h` parses, as an opaque path). */
function parseUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.host === '' ? undefined : url;
  } catch {
    return undefined;
  }
}

/**
 * How a message shows the value an issue is about: `url` (a value that may hold a password:
 * only parsed, credentials masked) or `none` (the message says everything). Absent: as given.
 */
type Shown = 'url' | 'none';
const shows = (shown: Shown) => ({ shown });

/**
 * A URL-typed variable: it must parse (WHATWG URL), name a port from 1 to 65535 if any, and
 * have the `shape` of its scheme. Such a value may hold a password: its issues say how a
 * message may show it (`shownValue`).
 */
function urlVariable(shape: RegExp, message: string) {
  return z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      if (!portInRange(value)) {
        ctx.addIssue({ code: 'custom', message: 'the port must be a number from 1 to 65535', params: shows('none') });
      } else if (parseUrl(value) === undefined || !shape.test(value)) {
        ctx.addIssue({ code: 'custom', message, params: shows('url') });
      }
    });
}

const legacyUrl = urlVariable(
  /^(mssql|sqlserver|mysql|mariadb):\/\/[^/]+\/[^/?]+/,
  'must be mssql://user:password@host:port/database or mysql://user@host:port/database',
);

const postgresUrl = urlVariable(/^postgres(ql)?:\/\/[^/]+\/[^/?]+/, 'must be postgres://user@host:port/database');

const redisUrl = urlVariable(/^rediss?:\/\/[^/]+/, 'must be redis://host:port');

const smtpUrl = urlVariable(/^smtps?:\/\/[^/]+/, 'must be smtp://host:port (or smtps://)');

const emailAddress = z
  .string()
  .trim()
  .refine((value) => /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(value), { message: 'must be an e-mail address' });

const httpUrl = urlVariable(/^https?:\/\/[^/]+/, 'must be an http:// or https:// URL');

const timeZone = z.string().refine(
  (value) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as Europe/Zurich' },
);

/** The roles of the console: an operator may act, an auditor reads only. */
export const CONSOLE_ROLES = ['operator', 'auditor'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

/** A password hash as `ppm serve --hash-password` prints it: scrypt, its cost, salt and key in base64url. */
export const PASSWORD_HASH = /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]{16,}\$[A-Za-z0-9_-]{32,}$/;

export interface ConsoleUser {
  name: string;
  role: ConsoleRole;
  passwordHash: string;
}

/**
 * `name:role:hash` entries, separated by commas: the people who may log in to the console.
 * A problem names the entry by its position only; the value holds password hashes, never shown.
 */
const consoleUsers = z
  .string()
  .trim()
  .transform((value, ctx): ConsoleUser[] => {
    const users: ConsoleUser[] = [];
    const entries = value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    entries.forEach((entry, index) => {
      const [name = '', role = '', ...rest] = entry.split(':');
      const passwordHash = rest.join(':');
      const problem = !/^[A-Za-z0-9_.@-]{1,64}$/.test(name)
        ? 'a user name of letters, digits and _ . @ - only'
        : !(CONSOLE_ROLES as ReadonlyArray<string>).includes(role)
          ? `a role, one of ${CONSOLE_ROLES.join(', ')}`
          : !PASSWORD_HASH.test(passwordHash)
            ? 'a password hash printed by `ppm serve --hash-password`'
            : users.some((user) => user.name === name)
              ? 'a user name not given before'
              : undefined;
      if (problem) {
        ctx.addIssue({
          code: 'custom',
          message: `entry ${index + 1} must be name:role:hash with ${problem}`,
          params: shows('none'),
        });
        return;
      }
      users.push({ name, role: role as ConsoleRole, passwordHash });
    });
    if (entries.length === 0)
      ctx.addIssue({ code: 'custom', message: 'must list name:role:hash entries', params: shows('none') });
    return users;
  });

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
/** 0 or more; for a timeout, 0 means none. */
const nonNegativeInt = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);

const DURATION_UNITS_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration as `500ms`, `30s`, `15m`, `2h`, `2d` (or a bare number of milliseconds), in ms. */
export const duration = z
  .string()
  .trim()
  .regex(/^\d+(ms|s|m|h|d)?$/, 'must be a duration such as 30s, 15m, 2h or 2d')
  .transform((value) => {
    const [, amount, unit] = /^(\d+)(ms|s|m|h|d)?$/.exec(value)!;
    return Number(amount) * DURATION_UNITS_MS[unit ?? 'ms']!;
  });

/** Everything the pipeline reads from the environment, validated once at start-up. */
export const configSchema = z.object({
  LEGACY_DATABASE_URL: legacyUrl.default('mysql://root@127.0.0.1:3306/partner_portal'),
  MARKETPLACE_DATABASE_URL: postgresUrl.default('postgres://postgres@127.0.0.1:5432/marketplace'),
  REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
  LEGACY_TIMEZONE: timeZone.default('Europe/Zurich'),
  /** Prefix of every BullMQ key in Redis; separate prefixes keep environments apart. */
  QUEUE_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only')
    .default('ppm'),
  /** Rows read from the legacy database per keyset page. */
  BATCH_SIZE: positiveInt(5000),
  /** Orders (or invoices) per partition job; larger partners are split into several jobs. */
  PARTITION_SIZE: positiveInt(20000),
  /** Small partners (at most PARTITION_SIZE rows each) per batch job at most; a batch also holds at most BATCH_ROWS rows. */
  BATCH_PARTNERS: positiveInt(200),
  /** Legacy rows per batch job of small partners at most (a small partner bigger than this has a batch of its own). */
  BATCH_ROWS: positiveInt(40000),
  /** Jobs one worker process runs at once. */
  WORKER_CONCURRENCY: positiveInt(2),
  /** How long a job's lock lives without renewal (ms): a killed worker's jobs are taken over after about this. */
  JOB_LOCK_MS: positiveInt(30000),
  /** How long a wave's run lease lives without renewal: a killed `wave run` frees its wave after this. */
  WAVE_LEASE_MS: positiveInt(15000),
  /** How long after cutover the webinar invitation is sent. */
  WEBINAR_DELAY: duration.prefault('2d'),
  /** How long the legacy watermark may stand still before `ppm sync run` and `ppm status` warn (an open legacy transaction holds it back). */
  SYNC_STALL_WARN: duration.prefault('1h'),
  /** The SMTP relay messages go through; unset, they are written as .eml files into MAIL_OUTBOX_DIR. */
  SMTP_URL: smtpUrl.optional(),
  /** Messages handed to the SMTP relay per second at most. */
  SMTP_MAX_PER_SECOND: positiveInt(20),
  /** Where messages are written as .eml files when no SMTP_URL is set. */
  MAIL_OUTBOX_DIR: z.string().trim().min(1).default('mail-outbox'),
  /** The sender of every message. */
  MAIL_FROM: emailAddress.default('marketplace-migration@softwareone.com'),
  /** The accept link of an invitation: this URL followed by the invitation's token. */
  MARKETPLACE_INVITE_URL: httpUrl.default('https://portal.platform.softwareone.com/invitations/accept?token='),
  /**
   * Longest a statement of the pipeline may run on PostgreSQL (ms, 0 = no limit): generous, for
   * the big COPYs and checksums of large partners; a stuck statement fails and its job is retried.
   */
  PG_STATEMENT_TIMEOUT_MS: nonNegativeInt(1_800_000),
  /** Longest a statement waits for a lock another session holds on PostgreSQL (ms, 0 = no limit). */
  PG_LOCK_TIMEOUT_MS: nonNegativeInt(60_000),
  /**
   * The role the pipeline's sessions take (SET ROLE) when the login is a member of it, so its
   * writes run with that role's grants only; `none` keeps the login's own privileges.
   */
  PG_LOADER_ROLE: z
    .string()
    .trim()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a role name (lower-case letters, digits, _) or none')
    .default('ppm_loader'),
  /** Longest a statement may run on the legacy database (ms, 0 = no limit). */
  LEGACY_QUERY_TIMEOUT_MS: nonNegativeInt(600_000),
  /**
   * How long a command waits for the marketplace or legacy database to answer again after it went
   * away mid-run (`ppm verify`, `ppm sync run`, the effects of `wave cutover` and `wave announce`)
   * before it stops with exit 1 naming it.
   */
  OUTAGE_WAIT: duration.prefault('3m'),
  /** How long `wave run` waits for its wave's jobs before it stops (exit 1), leaving them queued. */
  WAVE_RUN_TIMEOUT: duration.prefault('24h'),
  /** Messages one process sends at once per queue (about twice the SMTP pool's connections keeps it busy). */
  NOTIFY_CONCURRENCY: positiveInt(8),
  /** Who may log in to the console (`ppm serve`): name:role:hash entries; unset, the console serves loopback only, with no login. */
  CONSOLE_USERS: consoleUsers.optional(),
  /** How long a console session lasts after its login. */
  CONSOLE_SESSION_TTL: duration.prefault('8h'),
  /** Delivery attempts per message before it stays failed in the outbox. */
  NOTIFY_ATTEMPTS: positiveInt(5),
  /** First retry delay of a message (ms); doubles per attempt, with jitter. */
  NOTIFY_BACKOFF_MS: positiveInt(5000),
});

export type Config = z.infer<typeof configSchema>;

/**
 * A URL as a message may show it: credentials masked, query and fragment elided (they may carry
 * a password too); undefined when it does not parse, or when its path looks like it holds
 * credentials (`mysql://root/pw@host/db`).
 */
function maskedUrl(value: string): string | undefined {
  const url = parseUrl(value);
  if (url === undefined || url.pathname.includes('@')) return undefined;
  const credentials = url.username !== '' || url.password !== '' ? '***@' : '';
  const rest = url.search !== '' || url.hash !== '' ? '?...' : '';
  return `${url.protocol}//${credentials}${url.host}${url.pathname}${rest}`;
}

/** What a message repeats of a bad value: a URL only parsed and masked, never as given. */
function shownValue(given: string, shown: Shown | undefined): string {
  if (shown === 'none') return '';
  if (shown !== 'url') return ` (got "${redactUrl(given)}")`;
  const masked = maskedUrl(given.trim());
  return masked === undefined ? ' (got a value that is not a URL)' : ` (got "${masked}")`;
}

/**
 * Reads and validates the configuration. A bad value raises ConfigurationError naming the
 * variable and the problem; the message never repeats a password: a URL-typed value is shown
 * only when it parses, with its credentials masked.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const picked: Record<string, string | undefined> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    picked[key] = value === '' ? undefined : value;
  }
  const parsed = configSchema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const given = picked[name];
      const how = issue.code === 'custom' ? (issue.params?.shown as Shown | undefined) : undefined;
      const shown = given === undefined ? '' : shownValue(given, how);
      return `${name}: ${issue.message}${shown}`;
    });
    throw new ConfigurationError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}

/** The engine a legacy URL names: `mssql` for SQL Server, `mariadb` for the MariaDB stand-in. */
export type LegacyEngineName = 'mssql' | 'mariadb';

export function legacyEngineOf(url: string): LegacyEngineName {
  return /^(mssql|sqlserver):/.test(url) ? 'mssql' : 'mariadb';
}

/** The database name in a connection URL. */
export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

/** The same URL pointing at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
