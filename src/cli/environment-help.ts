import { configSchema, loadConfig, type Config } from '../core/config';

/** One line per variable of the configuration schema; a variable added there without one here does not compile. */
const CONFIG_MEANINGS: Record<keyof Config, string> = {
  LEGACY_DATABASE_URL:
    'the legacy portal: SQL Server as mssql://user:password@host:1433/db, ' +
    'the MariaDB stand-in as mysql://user@host:3306/db',
  MARKETPLACE_DATABASE_URL: 'the target PostgreSQL database',
  REDIS_URL: 'the BullMQ Redis shared by every worker of a wave',
  LEGACY_TIMEZONE: "the IANA time zone of the portal's DATETIME columns",
  QUEUE_PREFIX: 'prefix of every BullMQ key; environments sharing a Redis use separate prefixes',
  BATCH_SIZE: 'rows per keyset page read from the legacy database (one target transaction each)',
  PARTITION_SIZE:
    'orders (or invoices) per partition job of a big partner; partners with at most this many rows are small, packed into batch jobs',
  BATCH_PARTNERS:
    'small partners per batch job at most (one read per legacy table, one transaction, verified together)',
  BATCH_ROWS: 'legacy rows per batch job of small partners at most',
  WORKER_CONCURRENCY: 'jobs one worker process runs at once',
  JOB_LOCK_MS: "a job's lock in ms; a killed worker's jobs are taken over after about this long",
  WAVE_LEASE_MS: "a wave's run lease in ms; a killed `wave run` frees its wave after this long",
  WEBINAR_DELAY: 'how long after cutover the webinar invitation is sent (30s, 15m, 2h, 2d)',
  SYNC_STALL_WARN: 'how long the legacy watermark may stand still before the sync warns (an open legacy transaction)',
  SMTP_URL: 'the SMTP relay messages go through (smtp://host:port); unset, messages are written as .eml files',
  SMTP_MAX_PER_SECOND: 'messages handed to the SMTP relay per second at most',
  MAIL_OUTBOX_DIR: 'where messages are written as .eml files when SMTP_URL is not set',
  MAIL_FROM: 'the sender address of every message',
  MARKETPLACE_INVITE_URL: "an invitation's accept link: this URL followed by the invitation's token",
  PG_STATEMENT_TIMEOUT_MS:
    'longest a PostgreSQL statement of the pipeline may run, in ms (0: no limit); its job is retried',
  PG_LOCK_TIMEOUT_MS: 'longest a PostgreSQL statement waits for a lock held by another session, in ms (0: no limit)',
  PG_LOADER_ROLE:
    "the role the pipeline's PostgreSQL sessions take (SET ROLE) when the login is a member of it; none keeps the login's",
  LEGACY_QUERY_TIMEOUT_MS: 'longest a legacy database statement may run, in ms (0: no limit)',
  OUTAGE_WAIT:
    'how long verify, sync and the effects of cutover/announce wait for a database that went away mid-run before exit 1 (30s, 3m, 10m)',
  WAVE_RUN_TIMEOUT: "how long `wave run` waits for the wave's jobs before it stops with exit 1 (30m, 12h, 2d)",
  NOTIFY_CONCURRENCY: 'messages one process sends at once per queue',
  CONSOLE_USERS:
    'who may log in to `ppm serve`: name:role:hash entries separated by commas, role operator or auditor, ' +
    'hash from `ppm serve --hash-password`; unset, the console binds to loopback only and asks no login',
  CONSOLE_SESSION_TTL: 'how long a console login lasts (30m, 8h, 1d)',
  NOTIFY_ATTEMPTS: 'delivery attempts per message before it stays failed in the outbox',
  NOTIFY_BACKOFF_MS: 'first retry delay of a message in ms; doubles per attempt, with jitter',
};

/** Defaults shown as written where the parsed value reads otherwise (a duration in ms). */
const DEFAULT_TEXT: Partial<Record<keyof Config, string>> = {
  WEBINAR_DELAY: '2d',
  SYNC_STALL_WARN: '1h',
  WAVE_RUN_TIMEOUT: '24h',
  OUTAGE_WAIT: '3m',
  SMTP_URL: '(none: .eml files)',
  CONSOLE_USERS: '(none: loopback only, no login)',
  CONSOLE_SESSION_TTL: '8h',
};

/** The default of a configuration variable as `--help` shows it. */
export function configDefaultText(name: keyof Config, defaults: Config = loadConfig({})): string {
  return DEFAULT_TEXT[name] ?? String(defaults[name]);
}

/** Read by the logger, outside the validated configuration. */
const OTHER_VARIABLES: ReadonlyArray<{ name: string; fallback: string; meaning: string }> = [
  { name: 'LOG_LEVEL', fallback: 'info', meaning: 'pino level; logs are JSON lines on standard error' },
];

/** Breaks text into lines of at most `width` characters at spaces (a longer word keeps a line of its own). */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  return current ? [...lines, current] : lines;
}

/** The environment variables `ppm` reads, each with its meaning and default, for `ppm --help`. */
export function renderEnvironmentHelp(columns = 80): string {
  const defaults = loadConfig({});
  const variables = [
    ...(Object.keys(configSchema.shape) as Array<keyof Config>).map((name) => ({
      name,
      fallback: configDefaultText(name, defaults),
      meaning: CONFIG_MEANINGS[name],
    })),
    ...OTHER_VARIABLES,
  ];
  const indent = Math.max(...variables.map((variable) => variable.name.length)) + 4;
  const width = Math.max(30, columns - indent);
  const lines = variables.flatMap((variable) =>
    [...wrapWords(variable.meaning, width), `default: ${variable.fallback}`].map(
      (text, index) => (index === 0 ? `  ${variable.name}`.padEnd(indent) : ' '.repeat(indent)) + text,
    ),
  );
  return ['', 'Environment variables:', ...lines].join('\n');
}
