import { legacyEngineOf } from '../../src/core/config';
import { isRetryable, SourceUnavailableError, TargetUnavailableError } from '../../src/core/errors';
import { describeDatabaseUrl, redactText } from '../../src/core/redact';
import { describeTargetUrl } from '../../src/load';
import type { Services } from '../services';

/** A database a command depends on. */
export type OutageService = 'marketplace' | 'legacy';

/** What a command says while it waits for a database to answer again. */
export interface OutageWaiting {
  service: OutageService;
  /** `the marketplace database 127.0.0.1:5432/marketplace`: what a message names (never credentials). */
  name: string;
  /** How long it has not answered, in ms. */
  downForMs: number;
}

export interface RideOutOptions {
  /** The work, as a message names it: `the verification`, `the sync`. */
  during: string;
  /** The command to run again once the database is back, as a message names it. */
  again: string;
  /** Called on each look while a database does not answer, and with `undefined` once it does. */
  onWaiting?(waiting: OutageWaiting | undefined): void;
  /** First wait between looks, in ms; it doubles up to `maxDelayMs`, each with jitter (0.5x to 1.5x). @defaultValue 1000 */
  firstDelayMs?: number;
  /** @defaultValue 10000 */
  maxDelayMs?: number;
  random?: () => number;
}

/** Outages ridden out within one command before the error stands (a database that keeps flapping). */
const MAX_OUTAGES = 10;

/** Longest a look at a database may take: a server shutting down can leave a connect hanging. */
const PROBE_TIMEOUT_MS = 5000;

function nameOf(services: Services, service: OutageService): string {
  const { config } = services;
  if (service === 'marketplace')
    return `the marketplace database ${describeTargetUrl(config.MARKETPLACE_DATABASE_URL)}`;
  const engine = legacyEngineOf(config.LEGACY_DATABASE_URL);
  const where = describeDatabaseUrl(config.LEGACY_DATABASE_URL, engine === 'mssql' ? 1433 : 3306, engine);
  return `the legacy database (${engine} ${where})`;
}

/** Undefined when the database answers a cheap statement now; otherwise why it does not. */
async function lookAt(services: Services, service: OutageService): Promise<unknown> {
  const statement =
    service === 'marketplace' ? services.target.raw('SELECT 1') : (services.source.watermark() as Promise<unknown>);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<unknown>((resolve) => {
    timer = setTimeout(() => resolve(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
    timer.unref();
  });
  try {
    return await Promise.race([
      Promise.resolve(statement).then(
        () => undefined,
        (error: unknown) => error ?? new Error('no answer'),
      ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The first database of the two that does not answer now, and why. */
async function findUnreachable(services: Services): Promise<{ service: OutageService; cause: unknown } | undefined> {
  const [marketplace, legacy] = await Promise.all([lookAt(services, 'marketplace'), lookAt(services, 'legacy')]);
  if (marketplace !== undefined) return { service: 'marketplace', cause: marketplace };
  if (legacy !== undefined) return { service: 'legacy', cause: legacy };
  return undefined;
}

/** `500 ms`, `45 s`, `3 min`: how a message shows OUTAGE_WAIT. */
const formatWait = (ms: number) =>
  ms < 1000 ? `${ms} ms` : ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`;

const messageOf = (error: unknown) => redactText(error instanceof Error ? error.message : String(error));

/**
 * Runs `attempt`, riding out an outage of the marketplace or the legacy database: when it fails
 * on a transient error and one of them does not answer, waits for it (looking again with backoff
 * and jitter, up to `OUTAGE_WAIT` from when it went away, logging which one it waits for), then
 * runs `attempt` again from the start. `attempt` must be safe to run again: what an interrupted
 * attempt committed is kept and not repeated (checkpoints, runs closed by the next attempt).
 * Past `OUTAGE_WAIT` it stops with an error naming the database (exit 1); an error while both
 * answer stands as it is (issue 14: restarts mid-verify and mid-sync).
 */
export async function rideOutOutages<T>(
  services: Services,
  options: RideOutOptions,
  attempt: () => Promise<T>,
): Promise<T> {
  const budgetMs = services.config.OUTAGE_WAIT;
  const random = options.random ?? Math.random;
  for (let outages = 0; ; outages++) {
    let failure: unknown;
    try {
      return await attempt();
    } catch (error) {
      failure = error;
    }
    if (!isRetryable(failure) || outages >= MAX_OUTAGES) throw failure;
    const down = await findUnreachable(services);
    if (!down) throw failure;
    const name = nameOf(services, down.service);
    const since = Date.now();
    let cause = down.cause;
    let delayMs = options.firstDelayMs ?? 1000;
    for (;;) {
      const downForMs = Date.now() - since;
      if (downForMs >= budgetMs) {
        options.onWaiting?.(undefined);
        const message =
          `${name} went away during ${options.during} and did not answer again within OUTAGE_WAIT (${formatWait(budgetMs)}): ` +
          `${messageOf(cause)}; run \`${options.again}\` again once it is back: what was committed is kept, nothing is repeated`;
        const Unavailable = down.service === 'marketplace' ? TargetUnavailableError : SourceUnavailableError;
        throw new Unavailable(message, { cause: failure });
      }
      options.onWaiting?.({ service: down.service, name, downForMs });
      services.logger.warn(
        { service: down.service, downForS: Math.round(downForMs / 1000), giveUpAfterS: Math.round(budgetMs / 1000) },
        `waiting for ${name} to answer again (${options.during} goes on once it is back): ${messageOf(cause)}`,
      );
      const wait = Math.min(delayMs * (0.5 + random()), Math.max(0, budgetMs - downForMs));
      await new Promise((resolve) => setTimeout(resolve, wait));
      delayMs = Math.min(delayMs * 2, options.maxDelayMs ?? 10_000);
      cause = await lookAt(services, down.service);
      if (cause === undefined) break;
    }
    options.onWaiting?.(undefined);
    services.logger.warn(
      { service: down.service, downForS: Math.round((Date.now() - since) / 1000) },
      `${name} answers again: ${options.during} starts over, keeping what was committed`,
    );
  }
}
