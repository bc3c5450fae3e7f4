import { resolve } from 'node:path';
import { Queue, type Worker } from 'bullmq';
import type { Config } from '../../src/core/config';
import { describeDatabaseUrl } from '../../src/core/redact';
import { createFileTransport, createSmtpTransport, type EffectQueue, type MessageTransport } from '../../src/notify';
import type { Services } from '../services';
import { createMessageWorker } from './message-worker';
import { reclaimStaleEffects, relayOutbox, type EffectQueues } from './outbox-relay';
import { createPortalWorker, PORTAL_QUEUE } from './portal-worker';
import { connectRedis } from './redis';

/** The transport the configuration names: SMTP when SMTP_URL is set, else .eml files in MAIL_OUTBOX_DIR. */
export function transportOf(config: Config): MessageTransport {
  return config.SMTP_URL
    ? createSmtpTransport({ url: config.SMTP_URL, maxPerSecond: config.SMTP_MAX_PER_SECOND, from: config.MAIL_FROM })
    : createFileTransport({ dir: config.MAIL_OUTBOX_DIR, from: config.MAIL_FROM });
}

/** Where messages go, as a log line or the demo may say it: no credentials. */
export function describeTransport(config: Config): string {
  return config.SMTP_URL
    ? `SMTP relay ${describeDatabaseUrl(config.SMTP_URL, 25, 'smtp').replace(/\/$/, '')}`
    : `.eml files in ${resolve(config.MAIL_OUTBOX_DIR)}`;
}

export interface EffectRuntimeOptions {
  /** Run the outbox relay loop in this process (default true). */
  relay?: boolean;
  /** Run the portal and message workers in this process (default true). */
  workers?: boolean;
  /** How often the relay looks for due effects, in ms (default 1000). */
  relayIntervalMs?: number;
  /** The message transport; default the configuration's (transportOf). */
  transport?: MessageTransport;
  /** Messages at once per message queue; default NOTIFY_CONCURRENCY (portal writes: WORKER_CONCURRENCY). */
  concurrency?: number;
}

export interface EffectRuntime {
  /** Relays what is due now, without waiting for the next tick; resolves with the rows relayed. */
  relayNow(): Promise<number>;
  /** Stops the relay, lets active jobs finish, closes the queues and the transport. */
  close(): Promise<void>;
}

/**
 * The outbox at work in one process: a relay loop that moves due effects to the `portal`,
 * `notifications` and `invitations` queues (and looks again at effects whose jobs may be lost),
 * and the workers that perform them. Any number of these may run side by side: each effect
 * still happens once (the outbox row is checked before and marked after).
 */
export function startEffectRuntime(services: Services, options: EffectRuntimeOptions = {}): EffectRuntime {
  const { config, target, logger } = services;
  const connection = connectRedis(config.REDIS_URL, (message) => logger.warn(message));
  const queueOf = (name: EffectQueue) => new Queue(name, { connection, prefix: config.QUEUE_PREFIX });
  const queues: EffectQueues = {
    portal: queueOf(PORTAL_QUEUE),
    notifications: queueOf('notifications'),
    invitations: queueOf('invitations'),
  };
  const transport = options.transport ?? transportOf(config);
  const workers: Worker[] = [];
  if (options.workers !== false) {
    const messageOptions = {
      transport,
      backoffMs: config.NOTIFY_BACKOFF_MS,
      inviteUrl: config.MARKETPLACE_INVITE_URL,
      concurrency: options.concurrency ?? config.NOTIFY_CONCURRENCY,
    };
    workers.push(
      createPortalWorker(services),
      createMessageWorker(services, 'notifications', messageOptions),
      createMessageWorker(services, 'invitations', messageOptions),
    );
  }
  const relayOptions = { attempts: config.NOTIFY_ATTEMPTS };
  // A relayed effect whose job has not finished after this long is looked at again.
  const staleMs = Math.max(60_000, config.JOB_LOCK_MS * 4);
  let running: Promise<number> = Promise.resolve(0);
  let lastReclaim = Date.now();
  // After Redis came back (without persistence it lost every job) or a tick failed (the
  // database went away, and jobs may have failed without their rows being marked), every
  // relayed effect is looked at again at once, not only those older than `staleMs`.
  let lookAgain = false;
  let redisLost = false;
  connection.on('close', () => (redisLost = true));
  connection.on('ready', () => {
    if (redisLost) lookAgain = true;
    redisLost = false;
  });
  const tick = (): Promise<number> => {
    running = running
      .catch(() => 0)
      .then(async () => {
        try {
          const relayed = await relayOutbox(target, queues, relayOptions);
          if (lookAgain || Date.now() - lastReclaim >= staleMs / 2) {
            const olderThanMs = lookAgain ? 0 : staleMs;
            lookAgain = false;
            lastReclaim = Date.now();
            const revived = await reclaimStaleEffects(target, queues, olderThanMs, relayOptions);
            if (revived > 0) logger.warn({ revived }, 'outbox effects whose jobs were lost relayed again');
          }
          return relayed;
        } catch (error) {
          lookAgain = true;
          throw error;
        }
      });
    return running;
  };
  let timer: NodeJS.Timeout | undefined;
  if (options.relay !== false) {
    // An effect done may release the next of its partner (the effects of one partner go in
    // order): relay at once rather than at the next tick, coalescing completions that come together.
    let soon: NodeJS.Timeout | undefined;
    const relaySoon = () => {
      if (soon || timer === undefined) return;
      soon = setTimeout(() => {
        soon = undefined;
        // Closed since it was asked for: the queues it would relay to are closing.
        if (timer === undefined) return;
        void tick().catch((error) => logger.error({ err: error }, 'outbox relay failed; trying again'));
      }, 5);
    };
    for (const worker of workers) worker.on('completed', relaySoon);
    const interval = options.relayIntervalMs ?? 1000;
    const loop = () => {
      void tick()
        .catch((error) => logger.error({ err: error }, 'outbox relay failed; trying again'))
        .finally(() => {
          if (timer !== undefined) timer = setTimeout(loop, interval);
        });
    };
    timer = setTimeout(loop, 0);
  }
  return {
    relayNow: tick,
    async close() {
      const stopping = timer;
      timer = undefined;
      if (stopping) clearTimeout(stopping);
      await running.catch(() => 0);
      await Promise.allSettled(workers.map((worker) => worker.close()));
      await Promise.allSettled(Object.values(queues).map((queue) => queue.close()));
      await transport.close();
      connection.disconnect();
    },
  };
}
