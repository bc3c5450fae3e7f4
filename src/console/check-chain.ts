import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Knex } from 'knex';
import { redactText } from '../core/redact';
import { readReports } from '../load';
import { verifyChain, type ChainVerdict } from '../verify';

/** The built worker beside this file; absent when run from TypeScript sources (tests), where the check runs in-process. */
const WORKER = join(__dirname, 'chain-worker.js');

/** Recomputes the hash chain of every sealed report, in a worker thread when one can be started. */
export async function checkReportChain(db: Knex, url: string): Promise<ChainVerdict> {
  if (!existsSync(WORKER)) return verifyChain(await readReports(db));
  return new Promise<ChainVerdict>((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: { url } });
    worker.once('message', (message: { verdict?: ChainVerdict; error?: string }) => {
      if (message.verdict) resolve(message.verdict);
      else reject(new Error(redactText(message.error ?? 'the chain check failed')));
      void worker.terminate();
    });
    worker.once('error', (error) => reject(error));
  });
}
