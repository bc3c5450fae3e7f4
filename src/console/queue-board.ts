import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { redactText } from '../core/redact';

/** A job's data as the board shows it: e-mail addresses and URL credentials masked. */
function redactJobData(data: unknown): unknown {
  if (data === undefined) return data;
  return JSON.parse(redactText(JSON.stringify(data)));
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
