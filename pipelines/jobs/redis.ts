import IORedis, { type Redis } from 'ioredis';

/** A Redis connection as BullMQ needs it: commands wait for a reconnect instead of failing. */
export function connectRedis(url: string): Redis {
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}
