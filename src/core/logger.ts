import pino, { type Logger } from 'pino';
import { ConfigurationError } from './errors';
import { redactText } from './redact';

export type { Logger };

/** Field names whose values are secrets or personal data wherever they appear in a log object. */
const REDACT_PATHS = [
  'password',
  '*.password',
  'url',
  '*.url',
  'connectionString',
  '*.connectionString',
  'email',
  '*.email',
  'Email',
  '*.Email',
  'PrimaryEmail',
  '*.PrimaryEmail',
  'ContactEmail',
  '*.ContactEmail',
  'contact_email',
  '*.contact_email',
  'CreatedBy',
  '*.CreatedBy',
  'raw',
  '*.raw',
];

/** pino's levels: what `LOG_LEVEL` may be. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The level to log at: `chosen`, else `LOG_LEVEL` (unset or empty: `info`). Anything but one of
 * pino's levels is a ConfigurationError naming the variable and the levels (pino's own error
 * names neither); the value is repeated only when it is a plain word.
 */
export function logLevelOf(chosen: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = chosen === undefined;
  const level = (fromEnv ? (env.LOG_LEVEL ?? '') : chosen).trim() || 'info';
  if ((LOG_LEVELS as ReadonlyArray<string>).includes(level)) return level;
  const shown = /^[A-Za-z]{1,20}$/.test(level) ? ` (got "${level}")` : '';
  throw new ConfigurationError(
    `invalid configuration:\n  ${fromEnv ? 'LOG_LEVEL' : 'log level'}: must be one of ${LOG_LEVELS.join(', ')}${shown}`,
  );
}

export interface LoggerOptions {
  /** pino level (one of LOG_LEVELS); default `LOG_LEVEL` from the environment, else `info`. */
  level?: string;
  /** Where lines go; default standard error, so standard output stays for command results. */
  destination?: NodeJS.WritableStream;
}

/**
 * The process logger: structured JSON lines, secrets and e-mail addresses redacted both by
 * field name and inside free-text messages. Units of work take `logger.child({ wave, partner })`.
 * A level that is not one of LOG_LEVELS is a ConfigurationError (exit 2 in the CLI).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: logLevelOf(options.level),
      base: { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        logMethod(args, method) {
          const redacted = args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg));
          method.apply(this, redacted as Parameters<typeof method>);
        },
      },
      serializers: {
        err: (err: Error) => ({
          type: err.name,
          message: redactText(err.message ?? ''),
          code: (err as { code?: unknown }).code,
          stack: err.stack ? redactText(err.stack) : undefined,
        }),
      },
    },
    (options.destination ?? pino.destination(2)) as pino.DestinationStream,
  );
}
