import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { redactText } from '../../src/core/redact';
import { isTransientTargetError, settleCutoverPartners } from '../../src/load';
import {
  classifyDeliveryError,
  DeliveryError,
  INVITATION_VALIDITY_MS,
  markEventDone,
  markInvitationSent,
  newInvitationToken,
  recordInvitation,
  markEventFailed,
  messagePayloadSchema,
  readEventState,
  recordEventAttempt,
  renderMessage,
  type MessagePayload,
  type MessageTransport,
} from '../../src/notify';
import { connectRedis } from './redis';
import type { Services } from '../services';

/** The queues of messages: invitations apart (they carry a token), so other systems can take either over. */
export type MessageQueue = 'notifications' | 'invitations';

export interface MessageWorkerOptions {
  transport: MessageTransport;
  /** Jobs at once per queue. */
  concurrency?: number;
  /** First retry delay (ms); doubles per attempt, with jitter (0.5x to 1.5x). */
  backoffMs: number;
  /** The accept link of invitations: this URL followed by the token. */
  inviteUrl: string;
}

/** An address that can be delivered to: one `@`, no spaces, a dotted domain. */
const DELIVERABLE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Exponential backoff with jitter, so retries of many messages do not arrive at the relay together. */
export function retryDelay(attemptsMade: number, baseMs: number, random: () => number = Math.random): number {
  return Math.round(baseMs * 2 ** Math.max(0, attemptsMade - 1) * (0.5 + random()));
}

/**
 * Sends one message. PostgreSQL, not Redis, records what was done: a job whose outbox row is
 * done sends nothing; otherwise the message is rendered and sent, then the row is marked done
 * (a crash between the two can send it twice: its Message-ID, from the event key, lets the
 * receiver drop the copy).
 */
export async function performMessage(
  services: Services,
  options: Pick<MessageWorkerOptions, 'transport' | 'inviteUrl'>,
  data: unknown,
): Promise<string> {
  const parsed = messagePayloadSchema.safeParse(data);
  if (!parsed.success) throw new UnrecoverableError(`message payload refused: ${parsed.error.issues[0]?.message}`);
  const payload: MessagePayload = parsed.data;
  // The transport's failures as DeliveryErrors: the message's own, told apart from the database's.
  const send = (message: Parameters<MessageTransport['send']>[0]) =>
    options.transport.send(message).catch((error: unknown) => {
      throw classifyDeliveryError(error);
    });
  const state = await readEventState(services.target, payload.eventKey);
  if (state === undefined) throw new UnrecoverableError(`no outbox row ${payload.eventKey}`);
  if (state === 'done') return 'already done';
  if (!DELIVERABLE.test(payload.recipient.email)) {
    await markEventFailed(services.target, payload.eventKey, 'invalid_address: the recipient address is not valid', 1);
    throw new UnrecoverableError('invalid_address');
  }
  if (payload.kind === 'invitation') {
    if (!payload.accountUserId) throw new UnrecoverableError(`invitation ${payload.eventKey} names no account user`);
    const { token, sha256 } = newInvitationToken();
    const open = await recordInvitation(services.target, {
      eventKey: payload.eventKey,
      accountUserId: payload.accountUserId,
      partnerId: payload.partnerId,
      tokenSha256: sha256,
    });
    if (open) {
      const expiresAt = new Date(Date.now() + INVITATION_VALIDITY_MS);
      await send(renderMessage(payload, { acceptLink: `${options.inviteUrl}${token}`, expiresAt }));
      await markInvitationSent(services.target, payload.eventKey, INVITATION_VALIDITY_MS);
    }
  } else {
    await send(renderMessage(payload));
  }
  await markEventDone(services.target, payload.eventKey);
  await settleCutoverPartners(services.target, [payload.partnerId]);
  return 'sent';
}

/**
 * A worker of a message queue: retries with backoff and jitter; a permanent rejection or the
 * last attempt leaves the row failed with the reason. The marketplace database gone meanwhile
 * (restarted, unreachable) is no attempt of the message's: the job is retried without a word in
 * its row, and should its attempts run out first the row stays enqueued, for the outbox relay
 * to queue again once the database answers; counted as an attempt, a restart that outlasted
 * them left a message failed that was never refused.
 */
export function createMessageWorker(services: Services, queue: MessageQueue, options: MessageWorkerOptions): Worker {
  const connection = connectRedis(services.config.REDIS_URL, (message) => services.logger.warn(message));
  const worker = new Worker(
    queue,
    async (job: Job) => {
      try {
        return await performMessage(services, options, job.data);
      } catch (error) {
        if (error instanceof UnrecoverableError) throw error;
        if (!(error instanceof DeliveryError) && isTransientTargetError(error)) throw error;
        const failure = classifyDeliveryError(error);
        const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        const eventKey = String((job.data as { eventKey?: unknown }).eventKey ?? job.id);
        await recordEventAttempt(services.target, eventKey, job.attemptsMade + 1, redactText(failure.message));
        if (failure.permanent || last) {
          await markEventFailed(services.target, eventKey, redactText(failure.message), job.attemptsMade + 1);
          throw new UnrecoverableError(failure.message);
        }
        throw failure;
      }
    },
    {
      connection,
      prefix: services.config.QUEUE_PREFIX,
      concurrency: options.concurrency ?? services.config.WORKER_CONCURRENCY,
      lockDuration: services.config.JOB_LOCK_MS,
      settings: { backoffStrategy: (attemptsMade: number) => retryDelay(attemptsMade, options.backoffMs) },
    },
  );
  worker.on('error', (error) => services.logger.error({ err: error }, 'message worker error'));
  worker.on('closed', () => connection.disconnect());
  return worker;
}
