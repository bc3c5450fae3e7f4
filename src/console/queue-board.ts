import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { redactText } from '../core/redact';
import { PERSONAL_COLUMNS } from '../verify';

/** Fields of job payloads that hold personal data (a message's recipient). */
const PERSONAL_FIELDS: ReadonlySet<string> = new Set([...PERSONAL_COLUMNS, 'firstName', 'lastName']);

/** A job's data as the board shows it: personal fields masked, e-mail addresses and URL credentials in any text too. */
export function redactJobData(data: unknown): unknown {
  if (data === null || data === undefined) return data;
  if (typeof data === 'string') return redactText(data);
  if (Array.isArray(data)) return data.map(redactJobData);
  if (typeof data === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data as Record<string, unknown>))
      out[key] = PERSONAL_FIELDS.has(key) && typeof value === 'string' ? '***' : redactJobData(value);
    return out;
  }
  return data;
}

/**
 * Bull Board under /queues, read-only for every role (the console's own hooks refuse any write
 * under /queues as well): retries and removals stay with the CLI and the recorded actions.
 */
export async function mountQueueBoard(app: FastifyInstance, queues: Queue[]): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath('/queues');
  const adapters = queues.map((queue) => {
    const adapter = new BullMQAdapter(queue as never, { readOnlyMode: true, allowRetries: false });
    adapter.setFormatter('data', redactJobData);
    adapter.setFormatter('returnValue', redactJobData);
    return adapter;
  });
  createBullBoard({
    queues: adapters,
    serverAdapter,
    options: { uiConfig: { boardTitle: 'ppm queues' } },
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: '/queues' });
}
