import { z } from 'zod';
import { ConfigurationError } from './errors';
import { redactUrl } from './redact';

const legacyUrl = z
  .string()
  .trim()
  .refine((value) => /^(mssql|sqlserver|mysql|mariadb):\/\/[^/]+\/[^/?]+/.test(value), {
    message: 'must be mssql://user:password@host:port/database or mysql://user@host:port/database',
  });

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => /^postgres(ql)?:\/\/[^/]+\/[^/?]+/.test(value), {
    message: 'must be postgres://user@host:port/database',
  });

const redisUrl = z
  .string()
  .trim()
  .refine((value) => /^rediss?:\/\/[^/]+/.test(value), { message: 'must be redis://host:port' });

const smtpUrl = z
  .string()
  .trim()
  .refine((value) => /^smtps?:\/\/[^/]+/.test(value), { message: 'must be smtp://host:port (or smtps://)' });

const emailAddress = z
  .string()
  .trim()
  .refine((value) => /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(value), { message: 'must be an e-mail address' });

const httpUrl = z
  .string()
  .trim()
  .refine((value) => /^https?:\/\/[^/]+/.test(value), { message: 'must be an http:// or https:// URL' });

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

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

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
  /** Small partners (at most PARTITION_SIZE rows each) per batch job at most; a batch also holds at most PARTITION_SIZE rows. */
  BATCH_PARTNERS: positiveInt(200),
  /** Jobs one worker process runs at once. */
  WORKER_CONCURRENCY: positiveInt(2),
  /** How long a job's lock lives without renewal (ms): a killed worker's jobs are taken over after about this. */
  JOB_LOCK_MS: positiveInt(30000),
  /** How long a wave's run lease lives without renewal: a killed `wave run` frees its wave after this. */
  WAVE_LEASE_MS: positiveInt(15000),
  /** How long after cutover the webinar invitation is sent. */
  WEBINAR_DELAY: duration.prefault('2d'),
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
  /** Delivery attempts per message before it stays failed in the outbox. */
  NOTIFY_ATTEMPTS: positiveInt(5),
  /** First retry delay of a message (ms); doubles per attempt, with jitter. */
  NOTIFY_BACKOFF_MS: positiveInt(5000),
});

export type Config = z.infer<typeof configSchema>;

/**
 * Reads and validates the configuration. A bad value raises ConfigurationError naming the
 * variable and the problem; the message never repeats a password.
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
      const shown = given === undefined ? '' : ` (got "${redactUrl(given)}")`;
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
