import { PpmError, TargetUnavailableError } from '../../src/core/errors';
import { redactText } from '../../src/core/redact';
import { describeTargetUrl } from '../../src/load';
import type { Services } from '../services';

/**
 * An error of a command whose marketplace database went away mid-way (a driver's raw
 * "connection error", a failed ROLLBACK), as a TargetUnavailableError naming the database
 * and what to do; any other error, or one raised while the database answers, unchanged.
 * `during` names the work ("the sync"), `again` the command to run again (default: the same).
 */
export async function nameUnreachableTarget(
  services: Services,
  error: unknown,
  during: string,
  again?: string,
): Promise<unknown> {
  if (error instanceof PpmError && !(error instanceof TargetUnavailableError)) return error;
  const reachable = await Promise.race([
    services.target.raw('SELECT 1').then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5000).unref()),
  ]);
  if (reachable) return error;
  const what = error instanceof Error ? error.message : String(error);
  return new TargetUnavailableError(
    `the marketplace database ${describeTargetUrl(services.config.MARKETPLACE_DATABASE_URL)} went away during ${during} ` +
      `(${redactText(what)}); run ${again ? `\`${again}\`` : 'the command'} again once it is back: what was committed is kept, nothing is repeated`,
    { cause: error },
  );
}
