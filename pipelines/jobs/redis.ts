import IORedis, { type Redis } from 'ioredis';
import { QueueUnavailableError } from '../../src/core/errors';
import { describeDatabaseUrl, redactText } from '../../src/core/redact';

/** `host:port` of a Redis URL: what messages may name. */
export function describeRedisUrl(url: string): string {
  return describeDatabaseUrl(url, 6379, 'redis').replace(/\/\d*$/, '');
}

/**
 * A Redis connection as BullMQ needs it: commands wait for a reconnect instead of failing. Its
 * errors while reconnecting are logged by whoever passes `onError` (at most one line per 10 s),
 * never thrown as an unhandled `error` event.
 */
export function connectRedis(url: string, onError?: (message: string) => void): Redis {
  const redis = new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
  let lastReport = 0;
  redis.on('error', (error: Error) => {
    if (!onError || Date.now() - lastReport < 10_000) return;
    lastReport = Date.now();
    onError(`Redis at ${describeRedisUrl(url)}: ${redactText(error.message)}`);
  });
  return redis;
}

/**
 * Fails fast, naming the server, when Redis does not answer a PING within `timeoutMs`: a command
 * started against an unreachable Redis would otherwise wait for it forever.
 */
export async function assertRedisReachable(url: string, timeoutMs = 5000): Promise<void> {
  const probe = new IORedis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  let lastError: Error | undefined;
  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    probe.on('error', (error: Error) => {
      lastError = error;
      reject(error);
    });
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  failed.catch(() => undefined);
  try {
    await Promise.race([probe.connect().then(() => probe.ping()), failed]);
  } catch (error) {
    const reason = redactText((lastError ?? (error as Error)).message || String(error));
    throw new QueueUnavailableError(`cannot reach Redis at ${describeRedisUrl(url)} (REDIS_URL): ${reason}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
    probe.disconnect();
  }
}
