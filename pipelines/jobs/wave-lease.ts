import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { ConflictError } from '../../src/core/errors';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

export interface WaveLease {
  /** Stops renewing and frees the wave. */
  release(): Promise<void>;
}

/**
 * Takes the wave's run lease in Redis, shared by every machine: a second `wave run` of the same
 * wave is refused while the first lives. The lease is renewed every third of `ttlMs`, so a
 * process killed outright frees the wave after at most `ttlMs`.
 */
export async function acquireWaveLease(
  redis: Redis,
  prefix: string,
  waveName: string,
  ttlMs: number,
): Promise<WaveLease> {
  const key = `${prefix}:wave-lease:${waveName}`;
  const holder = `${hostname()}:${process.pid}`;
  const token = `${holder}:${randomUUID()}`;
  const taken = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (taken !== 'OK') {
    const [current, ttl] = await Promise.all([redis.get(key), redis.pttl(key)]);
    const owner = current ? current.split(':').slice(0, 2).join(' pid ') : 'another process';
    throw new ConflictError(
      `wave "${waveName}" is already running (${owner}); wait for it to finish, or, if that process is gone, ` +
        `run again in ${Math.max(1, Math.ceil(ttl / 1000))} s when its lease expires`,
    );
  }
  const timer = setInterval(
    () => {
      redis.eval(RENEW, 1, key, token, String(ttlMs)).catch(() => undefined);
    },
    Math.max(200, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      await redis.eval(RELEASE, 1, key, token);
    },
  };
}
