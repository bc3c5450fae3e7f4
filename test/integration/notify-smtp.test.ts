import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import type { Knex } from 'knex';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../../src/core/config';
import { createLogger } from '../../src/core/logger';
import { connectTarget, createWave, migrateTarget, withLoadTransaction } from '../../src/load';
import {
  createSmtpTransport,
  eventKeys,
  insertOutboxEvents,
  messageIdOf,
  sampleMessagePayload,
  type MessageTransport,
  type OutboxEvent,
} from '../../src/notify';
import { createMessageWorker, retryDelay } from '../../pipelines/jobs/message-worker';
import { relayOutbox, type EffectQueues } from '../../pipelines/jobs/outbox-relay';
import { connectRedis } from '../../pipelines/jobs/redis';
import type { Services } from '../../pipelines/services';
import { dropQueues, freshPostgres, freshQueuePrefix, TEST_REDIS_URL, type TestDatabase } from '../helpers/databases';

interface Received {
  to: string;
  kind: string;
  messageId: string;
}

/** Messages from the outbox to a real SMTP server on loopback: each once, retried while refused for a while, failed when rejected. */
describe('notifications over SMTP', () => {
  let database: TestDatabase;
  let db: Knex;
  let prefix: string;
  let queues: EffectQueues;
  let server: SMTPServer;
  let transport: MessageTransport;
  let services: Services;
  let waveId: number;
  const redis = connectRedis(TEST_REDIS_URL);
  const received: Received[] = [];
  /** Recipients refused with 451 this many more times, or with 550 for good. */
  const tempFailures = new Map<string, number>();
  const rejected = new Set<string>();

  const message = (user: number, email: string): OutboxEvent => {
    const eventKey = eventKeys.accountMigrated(1, user);
    const payload = { ...sampleMessagePayload('account-migrated'), eventKey, legacyUserId: user };
    payload.recipient = { ...payload.recipient, email };
    return { eventKey, kind: 'account-migrated', queue: 'notifications', partnerId: 1, waveId, payload };
  };
  const stateOf = async (eventKey: string) =>
    await db('migration.outbox').first('state', 'last_error').where({ event_key: eventKey });
  const settled = async (keys: string[]) => {
    for (let i = 0; i < 200; i += 1) {
      await relayOutbox(db, queues, { attempts: 4 });
      const rows = await db('migration.outbox').select('state').whereIn('event_key', keys);
      if (rows.every((row: { state: string }) => row.state === 'done' || row.state === 'failed')) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('messages did not settle');
  };

  beforeAll(async () => {
    database = await freshPostgres('smtp');
    await migrateTarget(database.url);
    db = connectTarget(database.url);
    prefix = freshQueuePrefix('smtp');
    const queue = (name: string) => new Queue(name, { connection: redis, prefix });
    queues = { portal: queue('portal'), notifications: queue('notifications'), invitations: queue('invitations') };
    waveId = await createWave(db, 'w1', [1]);
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, callback) {
        const left = tempFailures.get(address.address) ?? 0;
        if (rejected.has(address.address))
          return callback(Object.assign(new Error('no such user'), { responseCode: 550 }));
        if (left > 0) {
          tempFailures.set(address.address, left - 1);
          return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
        }
        callback();
      },
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
        stream.on('end', () => {
          received.push({
            to: session.envelope.rcptTo[0]!.address,
            kind: /^X-Notification-Kind: (.*)$/m.exec(raw)?.[1]?.trim() ?? '',
            messageId: /^Message-ID: (.*)$/im.exec(raw)?.[1]?.trim() ?? '',
          });
          callback();
        });
      },
    });
    // A client killed mid-message resets its connection: that is the server's to log, not a test failure.
    server.on('error', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    transport = createSmtpTransport({
      url: `smtp://127.0.0.1:${port}`,
      maxPerSecond: 50,
      from: 'migration@example.com',
    });
    const config = loadConfig({
      MARKETPLACE_DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
    });
    services = { config, logger: createLogger({ level: 'silent' }), target: db } as unknown as Services;
  });

  afterAll(async () => {
    await transport?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await Promise.all(Object.values(queues ?? {}).map((queue) => queue.close()));
    await db?.destroy();
    await database?.drop();
    await dropQueues(prefix);
    redis.disconnect();
  });

  it('spreads retries with jitter, doubling per attempt', () => {
    expect(retryDelay(1, 1000, () => 0.5)).toBe(1000);
    expect(retryDelay(3, 1000, () => 0.5)).toBe(4000);
    expect(retryDelay(3, 1000, () => 0)).toBe(2000);
    expect(retryDelay(3, 1000, () => 0.999)).toBeLessThan(6000);
  });

  it('delivers each message once, two workers side by side; a rerun sends nothing more', async () => {
    const events = Array.from({ length: 20 }, (_, i) => message(i + 1, `user${i + 1}@example.com`));
    await withLoadTransaction(db, (trx) => insertOutboxEvents(trx, events));
    const workers = [0, 1].map(() =>
      createMessageWorker(services, 'notifications', {
        transport,
        backoffMs: 50,
        inviteUrl: 'https://example.test/accept?token=',
      }),
    );
    try {
      await settled(events.map((e) => e.eventKey));
      expect(received.map((r) => r.to).sort()).toEqual(events.map((_, i) => `user${i + 1}@example.com`).sort());
      for (const item of received) expect(item.kind).toBe('account-migrated');
      expect(received.map((r) => r.messageId).sort()).toEqual(events.map((e) => messageIdOf(e.eventKey)).sort());
      // The same jobs again (Redis forgot the completed ones): PostgreSQL says done, nothing is sent.
      for (const event of events)
        await queues.notifications.add(event.kind, event.payload, { jobId: `${event.eventKey}.again` });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await relayOutbox(db, queues)).toBe(0);
      expect(received).toHaveLength(20);
    } finally {
      await Promise.all(workers.map((worker) => worker.close()));
    }
  });

  it('retries a 451 until the server accepts, and leaves a 550 failed with its reason while the others go', async () => {
    received.length = 0;
    const flaky = message(101, 'flaky@example.com');
    const gone = message(102, 'gone@example.com');
    const fine = message(103, 'fine@example.com');
    tempFailures.set('flaky@example.com', 2);
    rejected.add('gone@example.com');
    await withLoadTransaction(db, (trx) => insertOutboxEvents(trx, [flaky, gone, fine]));
    const worker = createMessageWorker(services, 'notifications', {
      transport,
      backoffMs: 50,
      inviteUrl: 'https://example.test/accept?token=',
    });
    try {
      await settled([flaky.eventKey, gone.eventKey, fine.eventKey]);
    } finally {
      await worker.close();
    }
    expect(received.map((r) => r.to).sort()).toEqual(['fine@example.com', 'flaky@example.com']);
    expect((await stateOf(flaky.eventKey)).state).toBe('done');
    const failed = await stateOf(gone.eventKey);
    expect(failed.state).toBe('failed');
    expect(failed.last_error).toMatch(/^SMTP 550/);
    expect(failed.last_error).not.toContain('gone@example.com');
  });
});
