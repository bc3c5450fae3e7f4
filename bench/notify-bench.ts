/**
 * The notify bench (bench/README.md): BENCH_MESSAGES (default 10,000) messages from the outbox to
 * an SMTP server on loopback through the effect runtime (relay loop and message workers), beside
 * a plain nodemailer send loop to the same server in the same run. The server runs in a worker
 * thread of this process and counts what arrives by Message-ID, so that a message lost or sent
 * twice is seen.
 *
 *   node dist/bench/notify-bench.js      alone (the wave bench runs it after its shapes)
 *
 * Prints its lines as it goes and, last, one line `BENCH_RESULT <json>` for the driver. Exits 1
 * when a message was lost or duplicated (or a partner of the bench wave was left unsettled).
 */
import { spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { createInterface } from 'node:readline';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import IORedis from 'ioredis';
import mysql from 'mysql2/promise';
import nodemailer from 'nodemailer';
import pLimit from 'p-limit';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';
import { databaseOf, legacyEngineOf, loadConfig, withDatabase } from '../src/core/config';
import { createLogger } from '../src/core/logger';
import { createWave, migrateTarget } from '../src/load';
import {
  eventKeys,
  insertOutboxEvents,
  messageIdOf,
  renderMessage,
  sampleMessagePayload,
  type MessagePayload,
  type OutboxEvent,
} from '../src/notify';
import { toMailOptions } from '../src/notify/transports/transport';
import { startEffectRuntime } from '../pipelines/jobs/effect-runtime';
import { openServices } from '../pipelines/services';
import { dbPrefix } from './shapes';

export const RESULT_MARK = 'BENCH_RESULT ';

/** The pipeline's rate as a share of the plain loop's, at least (the target). */
export const NOTIFY_TARGET = 0.5;

/** Recipients per partner of the bench wave: each partner settles once its ten messages are done. */
const USERS_PER_PARTNER = 10;

/** The same pool as src/notify/transports/smtp-transport.ts. */
const POOL_CONNECTIONS = 4;

/** Sends in flight at once in the plain loop: twice the pool, so that no connection waits for the loop. */
const LOOP_CONCURRENCY = 8;

const FROM = 'marketplace-migration@softwareone.com';

export interface NotifyBenchResult {
  messages: number;
  machine: string;
  loop: { seconds: number; perSecond: number; received: number; distinct: number; missing: number };
  pipeline: {
    seconds: number;
    perSecond: number;
    received: number;
    distinct: number;
    /** Expected Message-IDs that never arrived, and those that arrived more than once. */
    missing: number;
    duplicated: number;
    failedRows: number;
    partners: number;
    partnersDone: number;
    workerConcurrency: number;
  };
  ratio: number;
  ok: boolean;
  /** Every message of both parts arrived exactly once, and every partner settled. */
  exact: boolean;
}

// ---------------------------------------------------------------------------------------------
// The SMTP server, in a worker thread: its parsing is not the sender's event loop's work.

type ToServer = { type: 'reset' } | { type: 'count' } | { type: 'stats'; expected?: string[] } | { type: 'close' };

interface ServerStats {
  received: number;
  distinct: number;
  missing: number;
  duplicated: number;
}

function serveSmtp(): void {
  const port = parentPort!;
  const seen = new Map<string, number>();
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      // Only the header block is kept: the Message-ID is all that is counted.
      let head = '';
      let inHead = true;
      stream.on('data', (chunk: Buffer) => {
        if (!inHead) return;
        head += chunk.toString('latin1');
        if (head.includes('\r\n\r\n') || head.includes('\n\n')) inHead = false;
      });
      stream.on('end', () => {
        const id = /^Message-ID:\s*(<[^>\r\n]*>)/im.exec(head)?.[1] ?? '';
        received += 1;
        seen.set(id, (seen.get(id) ?? 0) + 1);
        callback();
      });
    },
  });
  port.on('message', (message: ToServer) => {
    if (message.type === 'reset') {
      seen.clear();
      received = 0;
      port.postMessage({ type: 'reset' });
    } else if (message.type === 'count') {
      port.postMessage({ type: 'count', received });
    } else if (message.type === 'stats') {
      const expected = message.expected ?? [];
      const stats: ServerStats = {
        received,
        distinct: seen.size,
        missing: expected.filter((id) => !seen.has(id)).length,
        duplicated: [...seen.values()].filter((n) => n > 1).length,
      };
      port.postMessage({ type: 'stats', stats });
    } else {
      server.close(() => port.postMessage({ type: 'closed' }));
    }
  });
  server.on('error', () => undefined);
  server.listen(0, '127.0.0.1', () => {
    port.postMessage({ type: 'listening', port: (server.server.address() as AddressInfo).port });
  });
}

interface SmtpThread {
  url: string;
  reset(): Promise<void>;
  /** Messages received since the last reset. */
  received(): Promise<number>;
  stats(expected?: string[]): Promise<ServerStats>;
  close(): Promise<void>;
}

async function startSmtpThread(): Promise<SmtpThread> {
  const worker = new Worker(__filename, { execArgv: process.execArgv });
  const next = (type: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const onMessage = (message: Record<string, unknown>) => {
        if (message.type !== type) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve(message);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  const { port } = (await next('listening')) as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    async reset() {
      const done = next('reset');
      worker.postMessage({ type: 'reset' } satisfies ToServer);
      await done;
    },
    async received() {
      const done = next('count');
      worker.postMessage({ type: 'count' } satisfies ToServer);
      return ((await done) as { received: number }).received;
    },
    async stats(expected) {
      const done = next('stats');
      worker.postMessage({ type: 'stats', expected } satisfies ToServer);
      return ((await done) as unknown as { stats: ServerStats }).stats;
    },
    async close() {
      const done = next('closed');
      worker.postMessage({ type: 'close' } satisfies ToServer);
      await done;
      await worker.terminate();
    },
  };
}

// ---------------------------------------------------------------------------------------------

function messagesOfEnv(): number {
  const text = process.env.BENCH_MESSAGES;
  if (text === undefined || text === '') return 10_000;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`BENCH_MESSAGES must be a positive integer: ${text}`);
  return value;
}

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

const line = (label: string, value: string) => say(`${'[notify]'.padEnd(11)}${label.padEnd(32)} ${value}`);
const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** The outbox payload of bench message `i` (0-based): user i + 1 of partner 1 + i / 10. */
function benchPayload(i: number): MessagePayload {
  const partnerId = 1 + Math.floor(i / USERS_PER_PARTNER);
  const legacyUserId = i + 1;
  const sample = sampleMessagePayload('account-migrated');
  return {
    ...sample,
    eventKey: eventKeys.accountMigrated(partnerId, legacyUserId),
    partnerId,
    legacyUserId,
    recipient: { ...sample.recipient, email: `user${legacyUserId}@example.com` },
  };
}

/** The plain loop: pre-rendered messages through nodemailer's pool, LOOP_CONCURRENCY at once. */
async function plainLoop(url: string, count: number): Promise<{ seconds: number; expected: string[] }> {
  const messages = Array.from({ length: count }, (_, i) =>
    toMailOptions(renderMessage({ ...benchPayload(i), eventKey: `bench-loop.${i + 1}` }), FROM),
  );
  const transporter = nodemailer.createTransport({ url, pool: true, maxConnections: POOL_CONNECTIONS } as Parameters<
    typeof nodemailer.createTransport
  >[0]);
  const limit = pLimit(LOOP_CONCURRENCY);
  const started = process.hrtime.bigint();
  try {
    await Promise.all(messages.map((message) => limit(() => transporter.sendMail(message))));
  } finally {
    transporter.close();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, expected: messages.map((m) => m.messageId!) };
}

async function recreatePostgres(url: string): Promise<void> {
  const admin = new Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${databaseOf(url)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  await migrateTarget(url);
}

/** openServices opens the legacy reader too: on MariaDB an empty database of the bench's is enough. */
async function legacyUrlOf(base: string): Promise<string> {
  if (legacyEngineOf(base) !== 'mariadb') return base;
  const url = withDatabase(base, `${dbPrefix()}_notify_legacy`);
  const connection = await mysql.createConnection(withDatabase(base, ''));
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${databaseOf(url)}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
  return url;
}

async function dropQueues(redisUrl: string, prefix: string): Promise<void> {
  const redis = new IORedis(redisUrl, { maxRetriesPerRequest: null });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function serverVersions(pgUrl: string, redisUrl: string): Promise<string> {
  const client = new Client({ connectionString: withDatabase(pgUrl, 'postgres') });
  await client.connect();
  const postgres = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
  await client.end();
  const redis = new IORedis(redisUrl, { maxRetriesPerRequest: null });
  const info = await redis.info('server');
  redis.disconnect();
  return `PostgreSQL ${postgres}, Redis ${/redis_version:(\S+)/.exec(info)?.[1] ?? '?'}`;
}

interface PipelineRun {
  seconds: number;
  failedRows: number;
  partners: number;
  partnersDone: number;
  expected: string[];
  workerConcurrency: number;
}

async function pipeline(smtp: SmtpThread, count: number): Promise<PipelineRun> {
  const base = loadConfig();
  const marketplaceUrl = withDatabase(base.MARKETPLACE_DATABASE_URL, `${dbPrefix()}_notify`);
  await recreatePostgres(marketplaceUrl);
  const config = loadConfig({
    ...process.env,
    SMTP_URL: smtp.url,
    SMTP_MAX_PER_SECOND: '100000',
    MARKETPLACE_DATABASE_URL: marketplaceUrl,
    LEGACY_DATABASE_URL: await legacyUrlOf(base.LEGACY_DATABASE_URL),
    QUEUE_PREFIX: `ppm-bench-notify-${Date.now()}`,
  });
  const services = await openServices(config, createLogger({ level: process.env.LOG_LEVEL ?? 'warn' }));
  const watcher = new Client({ connectionString: marketplaceUrl });
  await watcher.connect();
  try {
    const payloads = Array.from({ length: count }, (_, i) => benchPayload(i));
    const partnerIds = [...new Set(payloads.map((p) => p.partnerId))];
    const waveId = await createWave(services.target, 'bench-notify', partnerIds);
    // The partners wait in cutover for their messages, as after `ppm wave cutover`: each message
    // done settles its partner's state (to done with its last one).
    await services.target.raw(`UPDATE migration.wave_partners SET state = 'verified' WHERE wave_id = ?`, [waveId]);
    await services.target.raw(`UPDATE migration.wave_partners SET state = 'cutover' WHERE wave_id = ?`, [waveId]);
    const events: OutboxEvent[] = payloads.map((payload) => ({
      eventKey: payload.eventKey,
      kind: 'account-migrated',
      queue: 'notifications',
      partnerId: payload.partnerId,
      waveId,
      payload,
    }));
    await services.target.transaction(async (trx) => {
      for (let at = 0; at < events.length; at += 1000) await insertOutboxEvents(trx, events.slice(at, at + 1000));
    });
    await services.target.raw('ANALYZE migration.outbox');
    line(
      'outbox',
      `${int(count)} account-migrated rows of ${int(partnerIds.length)} partners in cutover; ` +
        `the effect runtime's defaults: NOTIFY_CONCURRENCY ${config.NOTIFY_CONCURRENCY} messages at once per queue`,
    );

    const counts = async () =>
      (
        await watcher.query<{ done: number; failed: number }>(
          `SELECT count(*) FILTER (WHERE state = 'done')::int AS done, count(*) FILTER (WHERE state = 'failed')::int AS failed
             FROM migration.outbox WHERE wave_id = $1`,
          [waveId],
        )
      ).rows[0]!;
    const started = process.hrtime.bigint();
    const runtime = startEffectRuntime(services);
    let seconds: number;
    let failedRows = 0;
    try {
      // Counting the outbox costs PostgreSQL a scan of it, on the cores the pipeline uses: once
      // a second until the server has received them all, then every few milliseconds.
      let progressAt = Date.now();
      let lastDone = -1;
      let countedAt = 0;
      for (;;) {
        const arrived = await smtp.received();
        if (arrived >= count || Date.now() - countedAt >= 1000) {
          countedAt = Date.now();
          const { done, failed } = await counts();
          failedRows = failed;
          if (done + failed >= count) break;
          if (done !== lastDone) {
            lastDone = done;
            progressAt = Date.now();
          } else if (Date.now() - progressAt > 30_000) {
            line('STALLED', `${done} done, ${failed} failed of ${count}, no progress for 30 s`);
            break;
          }
        }
        await new Promise((resolve) => setTimeout(resolve, arrived >= count ? 2 : 20));
      }
      seconds = Number(process.hrtime.bigint() - started) / 1e9;
    } finally {
      await runtime.close();
    }
    const settled = (
      await watcher.query<{ partners: number; done: number }>(
        `SELECT count(*)::int AS partners, count(*) FILTER (WHERE state = 'done')::int AS done
           FROM migration.wave_partners WHERE wave_id = $1`,
        [waveId],
      )
    ).rows[0]!;
    return {
      seconds,
      failedRows,
      partners: settled.partners,
      partnersDone: settled.done,
      expected: payloads.map((p) => messageIdOf(p.eventKey)),
      workerConcurrency: config.NOTIFY_CONCURRENCY,
    };
  } finally {
    await watcher.end();
    await services.close();
    await dropQueues(config.REDIS_URL, config.QUEUE_PREFIX);
  }
}

export async function runNotifyBench(): Promise<{ result: NotifyBenchResult; exitCode: number }> {
  const count = messagesOfEnv();
  const base = loadConfig();
  const machine =
    `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
    `node ${process.version}, ${await serverVersions(base.MARKETPLACE_DATABASE_URL, base.REDIS_URL)}`;
  line('machine', machine);
  const smtp = await startSmtpThread();
  try {
    const loop = await plainLoop(smtp.url, count);
    const loopStats = await smtp.stats(loop.expected);
    line(
      'nodemailer loop',
      `${int(count)} messages in ${loop.seconds.toFixed(2)} s = ${int(count / loop.seconds)} messages/s ` +
        `(pool of ${POOL_CONNECTIONS}, ${LOOP_CONCURRENCY} at once); ${int(loopStats.distinct)} distinct Message-IDs received`,
    );
    await smtp.reset();
    const run = await pipeline(smtp, count);
    const stats = await smtp.stats(run.expected);
    line(
      'outbox pipeline',
      `${int(count)} messages in ${run.seconds.toFixed(2)} s = ${int(count / run.seconds)} messages/s ` +
        `(relay + workers, from the runtime's start to the last row done); ${int(stats.received)} received, ` +
        `${int(stats.distinct)} distinct Message-IDs, ${stats.missing} missing, ${stats.duplicated} duplicated; ` +
        `${run.partnersDone} of ${run.partners} partners settled`,
    );
    const ratio = loop.seconds / run.seconds;
    const result: NotifyBenchResult = {
      messages: count,
      machine,
      loop: {
        seconds: loop.seconds,
        perSecond: count / loop.seconds,
        received: loopStats.received,
        distinct: loopStats.distinct,
        missing: loopStats.missing,
      },
      pipeline: {
        seconds: run.seconds,
        perSecond: count / run.seconds,
        received: stats.received,
        distinct: stats.distinct,
        missing: stats.missing,
        duplicated: stats.duplicated,
        failedRows: run.failedRows,
        partners: run.partners,
        partnersDone: run.partnersDone,
        workerConcurrency: run.workerConcurrency,
      },
      ratio,
      ok: ratio >= NOTIFY_TARGET,
      exact: false,
    };
    result.exact = notifyProblems(result).length === 0;
    say(notifySummary(result));
    return { result, exitCode: result.exact ? 0 : 1 };
  } finally {
    await smtp.close();
  }
}

/** What went wrong in delivery, if anything: empty when every message arrived once and every partner settled. */
export function notifyProblems(r: NotifyBenchResult): string[] {
  const problems: string[] = [];
  const p = r.pipeline;
  if (r.loop.received !== r.messages || r.loop.distinct !== r.messages || r.loop.missing > 0)
    problems.push(`loop: ${r.loop.received} received, ${r.loop.distinct} distinct, ${r.loop.missing} lost`);
  if (p.missing > 0) problems.push(`${p.missing} lost`);
  if (p.duplicated > 0) problems.push(`${p.duplicated} duplicated`);
  if (p.received !== r.messages) problems.push(`${p.received} received of ${r.messages}`);
  if (p.failedRows > 0) problems.push(`${p.failedRows} outbox rows failed`);
  if (p.partnersDone !== p.partners) problems.push(`${p.partnersDone} of ${p.partners} partners settled`);
  return problems;
}

/** The one line of the closing output: both rates, their ratio against the target, and whether all arrived once. */
export function notifySummary(r: NotifyBenchResult): string {
  const problems = notifyProblems(r);
  return (
    `notify, ${int(r.messages)} messages to SMTP on loopback: nodemailer loop ${r.loop.seconds.toFixed(2)} s ` +
    `(${int(r.loop.perSecond)}/s), outbox pipeline ${r.pipeline.seconds.toFixed(2)} s (${int(r.pipeline.perSecond)}/s); ` +
    `pipeline / loop ${r.ratio.toFixed(2)} (target at least ${NOTIFY_TARGET}) ${r.ok ? 'OK' : 'MISSED'}; ` +
    (problems.length === 0 ? `all ${int(r.messages)} arrived once` : `FAILED: ${problems.join(', ')}`)
  );
}

/** Runs this bench in a child process (the wave bench's driver): its lines pass through, its result is parsed. */
export function notifyBenchInChild(say: (text: string) => void): Promise<{ code: number; result?: NotifyBenchResult }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, __filename], { stdio: ['ignore', 'pipe', 'inherit'] });
    let result: NotifyBenchResult | undefined;
    createInterface({ input: child.stdout }).on('line', (text) => {
      if (text.startsWith(RESULT_MARK)) result = JSON.parse(text.slice(RESULT_MARK.length)) as NotifyBenchResult;
      else say(text);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, result }));
  });
}

if (!isMainThread) {
  serveSmtp();
} else if (require.main === module) {
  runNotifyBench()
    .then(({ result, exitCode }) => {
      process.stdout.write(`${RESULT_MARK}${JSON.stringify(result)}\n`);
      process.exitCode = exitCode;
    })
    .catch((error) => {
      process.stderr.write(`notify bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    });
}
