import type { Config } from '../core/config';
import { createLogger } from '../core/logger';
import { openServices, type Services } from '../../pipelines/services';

/** Opens the process's services for one command and closes them whatever happens. */
export async function withServices<T>(config: Config, fn: (services: Services) => Promise<T>): Promise<T> {
  const services = await openServices(config, createLogger());
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}
