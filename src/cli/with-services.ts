import type { Config } from '../core/config';
import { createLogger } from '../core/logger';
import { openServices, type Services } from '../../pipelines/services';
import { nameUnreachableTarget } from '../../pipelines/commands/unreachable-target';
import { PpmError } from '../core/errors';

/** Opens the process's services for one command and closes them whatever happens. */
export async function withServices<T>(config: Config, fn: (services: Services) => Promise<T>): Promise<T> {
  const services = await openServices(config, createLogger());
  try {
    return await fn(services);
  } catch (error) {
    // A raw driver error of a database that went away mid-command names the database.
    throw error instanceof PpmError ? error : await nameUnreachableTarget(services, error, 'the command');
  } finally {
    await services.close();
  }
}
