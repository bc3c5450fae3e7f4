import { Queue } from 'bullmq';
import { userInfo } from 'node:os';
import type { Config } from '../core/config';
import { UsageError } from '../core/errors';
import { createLogger, type Logger } from '../core/logger';
import { WAVE_QUEUE } from '../../pipelines/jobs/payloads';
import { PORTAL_QUEUE } from '../../pipelines/jobs/portal-worker';
import { assertRedisReachable, connectRedis } from '../../pipelines/jobs/redis';
import { openServices } from '../../pipelines/services';
import { buildConsoleApp } from './app';
import { isLoopback, type Actor } from './sessions';

/** Where `ppm serve` listens. */
export interface ConsoleListenOptions {
  /** @defaultValue 127.0.0.1 */
  host: string;
  /** 0 picks a free port. @defaultValue 8080 */
  port: number;
  /** How often a wave's live panel is sent, in ms. @defaultValue 1000 */
  liveIntervalMs?: number;
}

export interface RunningConsole {
  /** `http://host:port`, as a browser reaches it. */
  url: string;
  close(): Promise<void>;
}

/** The queues the board shows: the wave queue and the three effect queues. */
export const BOARD_QUEUES = [WAVE_QUEUE, PORTAL_QUEUE, 'notifications', 'invitations'] as const;

/** The operator the console acts as when no login is configured (loopback only): the local user. */
function localActor(): Actor {
  let name = 'local';
  try {
    name = `local:${userInfo().username}`;
  } catch {
    // No passwd entry for this uid (a container): "local" it is.
  }
  return { name, role: 'operator' };
}

/**
 * Starts the console. Beyond loopback it needs CONSOLE_USERS (a login): without them it refuses
 * to start (UsageError, exit 2) rather than serve the migration to the network unauthenticated.
 */
export async function startConsole(
  config: Config,
  listen: ConsoleListenOptions,
  logger: Logger = createLogger(),
): Promise<RunningConsole> {
  if (!isLoopback(listen.host) && config.CONSOLE_USERS === undefined)
    throw new UsageError(
      `refusing to serve the console on ${listen.host}, beyond loopback, without a login: set CONSOLE_USERS (see ppm --help)`,
    );
  await assertRedisReachable(config.REDIS_URL);
  const services = await openServices(config, logger);
  const redis = connectRedis(config.REDIS_URL, (message) => logger.warn(message));
  const queues = BOARD_QUEUES.map((name) => new Queue(name, { connection: redis, prefix: config.QUEUE_PREFIX }));
  try {
    const app = await buildConsoleApp({
      services,
      queues,
      users: config.CONSOLE_USERS,
      localActor: localActor(),
      sessionTtlMs: config.CONSOLE_SESSION_TTL,
      // Browsers keep Secure cookies to loopback over plain HTTP; beyond it, serve behind TLS.
      secureCookies: true,
      liveIntervalMs: listen.liveIntervalMs,
    });
    await app.listen({ host: listen.host, port: listen.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : listen.port;
    const host = listen.host.includes(':') && !listen.host.startsWith('[') ? `[${listen.host}]` : listen.host;
    return {
      url: `http://${host}:${port}`,
      async close() {
        await app.close();
        await Promise.allSettled(queues.map((queue) => queue.close()));
        redis.disconnect();
        await services.close();
      },
    };
  } catch (error) {
    await Promise.allSettled(queues.map((queue) => queue.close()));
    redis.disconnect();
    await services.close();
    throw error;
  }
}
