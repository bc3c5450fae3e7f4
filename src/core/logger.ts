import pino, { type Logger } from 'pino';
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

export interface LoggerOptions {
  /** pino level; default `info`, or `LOG_LEVEL` from the environment. */
  level?: string;
  /** Where lines go; default standard error, so standard output stays for command results. */
  destination?: NodeJS.WritableStream;
}

/**
 * The process logger: structured JSON lines, secrets and e-mail addresses redacted both by
 * field name and inside free-text messages. Units of work take `logger.child({ wave, partner })`.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
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
