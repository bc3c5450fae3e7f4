import { Queue } from 'bullmq';
import type { Knex } from 'knex';
import { connectTarget, createWave, migrateTarget, withLoadTransaction } from '../../src/load';
import { eventKeys, insertOutboxEvents, markEventDone, type OutboxEvent } from '../../src/notify';
import { connectRedis } from '../../pipelines/jobs/redis';
import { reclaimStaleEffects, relayOutbox, type EffectQueues } from '../../pipelines/jobs/outbox-relay';
import { dropQueues, freshPostgres, freshQueuePrefix, TEST_REDIS_URL, type TestDatabase } from '../helpers/databases';

/** The relay moves each due outbox row to its queue once, in order, never before its time. */
describe('outbox relay', () => {
  let database: TestDatabase;
  let db: Knex;
  let prefix: string;
  let queues: EffectQueues;
  let waveId: number;
  const redis = connectRedis(TEST_REDIS_URL);

  const portal = (partnerId: number, mode: 'Migrated' | 'Archive', extra: Partial<OutboxEvent> = {}): OutboxEvent => {
    const eventKey = eventKeys.portalMode(partnerId, mode);
    return {
      eventKey,
      kind: 'portal-mode',
      queue: 'portal',
      partnerId,
      waveId,
      payload: { v: 1, eventKey, partnerId, mode },
      ...extra,
    };
  };
  const record = (events: OutboxEvent[]) => withLoadTransaction(db, (trx) => insertOutboxEvents(trx, events));
  const stateOf = async (eventKey: string) =>
    (await db('migration.outbox').first('state').where({ event_key: eventKey }))?.state as string | undefined;

  beforeAll(async () => {
    database = await freshPostgres('relay');
    await migrateTarget(database.url);
    db = connectTarget(database.url);
    prefix = freshQueuePrefix('relay');
    const queue = (name: string) => new Queue(name, { connection: redis, prefix });
    queues = { portal: queue('portal'), notifications: queue('notifications'), invitations: queue('invitations') };
    waveId = await createWave(db, 'w1', [1, 2, 3]);
  });

  afterAll(async () => {
    await Promise.all(Object.values(queues ?? {}).map((queue) => queue.close()));
    await db?.destroy();
    await database?.drop();
    await dropQueues(prefix);
    redis.disconnect();
  });

  it('relays an effect only once the effect it waits for is done, with the event key as job id', async () => {
    const migrated = portal(1, 'Migrated');
    const archive = portal(1, 'Archive', { afterEventKey: migrated.eventKey });
    expect(await record([migrated, archive])).toBe(2);
    expect(await record([migrated, archive])).toBe(0);

    expect(await relayOutbox(db, queues)).toBe(1);
    expect(await stateOf(migrated.eventKey)).toBe('enqueued');
    expect(await stateOf(archive.eventKey)).toBe('pending');
    const job = await queues.portal.getJob(migrated.eventKey);
    expect(job?.data).toEqual(migrated.payload);
    expect(await relayOutbox(db, queues)).toBe(0);

    expect(await markEventDone(db, migrated.eventKey)).toBe(true);
    expect(await markEventDone(db, migrated.eventKey)).toBe(false);
    expect(await relayOutbox(db, queues)).toBe(1);
    expect(await stateOf(archive.eventKey)).toBe('enqueued');
    expect((await queues.portal.getJob(archive.eventKey))?.data).toEqual(archive.payload);
  });

  it('relays an effect due later as a delayed job, which BullMQ holds until its time', async () => {
    const delayed = portal(2, 'Archive', { notBefore: new Date(Date.now() + 60_000) });
    await record([delayed]);
    expect(await relayOutbox(db, queues)).toBe(1);
    expect(await stateOf(delayed.eventKey)).toBe('enqueued');
    const job = await queues.portal.getJob(delayed.eventKey);
    expect(await job?.getState()).toBe('delayed');
    expect(job!.opts.delay).toBeGreaterThan(55_000);
    expect(job!.opts.delay).toBeLessThanOrEqual(60_000);
  });

  it('adds a lost job again and leaves a waiting one alone when it looks at stale effects', async () => {
    const lost = portal(5, 'Migrated');
    const waiting = portal(6, 'Migrated');
    await record([lost, waiting]);
    expect(await relayOutbox(db, queues)).toBe(2);
    // Redis forgot one job (restarted without persistence).
    await queues.portal.remove(lost.eventKey);
    expect(await reclaimStaleEffects(db, queues, 60_000)).toBe(0); // not stale yet
    await db('migration.outbox')
      .update({ enqueued_at: db.raw("now() - interval '2 minutes'") })
      .whereIn('event_key', [lost.eventKey, waiting.eventKey]);
    expect(await reclaimStaleEffects(db, queues, 60_000)).toBe(1);
    expect((await queues.portal.getJob(lost.eventKey))?.data).toEqual(lost.payload);
    expect(await stateOf(lost.eventKey)).toBe('enqueued');
  });

  it('two relays side by side claim each row once', async () => {
    const events: OutboxEvent[] = [];
    for (let user = 1; user <= 300; user += 1) {
      const eventKey = eventKeys.accountMigrated(3, user);
      events.push({
        eventKey,
        kind: 'account-migrated',
        queue: 'notifications',
        partnerId: 3,
        waveId,
        payload: {
          v: 1,
          eventKey,
          kind: 'account-migrated',
          partnerId: 3,
          partnerName: 'Partner 3',
          accountId: 'ACC-0000-0003',
          mpnId: null,
          language: 'en',
          legacyUserId: user,
          accountUserId: null,
          recipient: { email: `user${user}@example.com`, firstName: 'A', lastName: 'B' },
        },
      });
    }
    await record(events);
    const [a, b] = await Promise.all([relayOutbox(db, queues, { limit: 7 }), relayOutbox(db, queues, { limit: 7 })]);
    expect(a + b).toBe(300);
    expect(await queues.notifications.getJobCountByTypes('waiting', 'prioritized', 'delayed')).toBe(300);
    const { rows } = await db.raw(
      "SELECT count(*)::int AS n FROM migration.outbox WHERE kind = 'account-migrated' AND state = 'enqueued'",
    );
    expect(rows[0].n).toBe(300);
  });
});
