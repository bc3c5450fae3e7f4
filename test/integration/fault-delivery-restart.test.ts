import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { runPpm, startPpm, type CliResult } from '../helpers/cli';
import { freshMariaDb, freshQueuePrefix, type TestDatabase } from '../helpers/databases';
import { targetFingerprint } from '../helpers/fingerprint';
import { OwnPostgres } from '../helpers/own-postgres';
import { OwnRedis } from '../helpers/own-redis';
import { countRows, deadline, queryRows, sleep } from '../helpers/pg';

interface Received {
  to: string;
  kind: string;
  messageId: string;
}

/**
 * Redis, then the marketplace PostgreSQL, restarted while `ppm wave cutover` delivers its
 * effects into a real SMTP server on loopback (servers of the test's own, stopped and started
 * by process id): the cutover rides it out or stops with exit 1 naming the service, and once it
 * (or its rerun) has finished every expected message has arrived once (a second copy only with
 * the same Message-ID), no outbox row is left pending or enqueued, and `ppm verify` passes.
 */
describe('a service restarted mid-delivery', () => {
  let legacy: TestDatabase;
  let pg: OwnPostgres;
  let redis: OwnRedis;
  let server: SMTPServer;
  let smtpUrl: string;
  let received: Received[] = [];

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
        stream.on('end', () => {
          const to = session.envelope.rcptTo[0]!.address;
          const kind = /^X-Notification-Kind: (.*)$/m.exec(raw)?.[1]?.trim() ?? '';
          const messageId = /^Message-ID: (.*)$/im.exec(raw)?.[1]?.trim() ?? '';
          // Slow enough per message that the restart lands while messages flow.
          setTimeout(() => {
            received.push({ to, kind, messageId });
            callback();
          }, 40);
        });
      },
    });
    server.on('error', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    [legacy, pg, redis] = await Promise.all([freshMariaDb('delivery_fault'), OwnPostgres.start(), OwnRedis.start()]);
    expect(
      (await runPpm(['legacy', 'seed', '--partners', '10', '--seed', '5'], { LEGACY_DATABASE_URL: legacy.url })).code,
    ).toBe(0);
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await Promise.all([legacy?.drop(), pg?.destroy(), redis?.kill()]);
  });

  /** A loaded and verified wave on a database of the own PostgreSQL, its cutover not yet run. */
  async function loadedWave(database: string): Promise<Record<string, string>> {
    const env = {
      LEGACY_DATABASE_URL: legacy.url,
      MARKETPLACE_DATABASE_URL: pg.url(database),
      REDIS_URL: redis.url,
      QUEUE_PREFIX: freshQueuePrefix('delivery_fault'),
      SMTP_URL: smtpUrl,
      SMTP_MAX_PER_SECOND: '500',
      NOTIFY_BACKOFF_MS: '200',
      NOTIFY_CONCURRENCY: '2',
      WEBINAR_DELAY: '2d',
      JOB_LOCK_MS: '2000',
      WAVE_LEASE_MS: '1500',
    };
    for (const args of [
      ['db', 'migrate'],
      ['wave', 'plan', 'w1', '--all'],
      ['wave', 'run', 'w1', '--no-cutover'],
    ])
      expect({ args, code: (await runPpm(args, env)).code }).toEqual({ args, code: 0 });
    return env;
  }

  /** The messages the cutover should send, from the target (one row per recipient). */
  async function expectedMessages(url: string): Promise<string[]> {
    const rows = await queryRows<{ email: string; group_name: string }>(
      url,
      `SELECT u.email, au.group_name FROM marketplace.account_users au JOIN marketplace.users u ON u.id = au.user_id`,
    );
    const expected: string[] = [];
    for (const row of rows) {
      expected.push(`account-migrated ${row.email}`, `invitation ${row.email}`);
      if (row.group_name === 'Administrators') expected.push(`csp-enrollment ${row.email}`);
    }
    return expected.sort();
  }

  /** Runs `ppm wave cutover w1` and calls `fault` once five messages have arrived. */
  async function cutoverThrough(env: Record<string, string>, fault: () => Promise<void>): Promise<CliResult> {
    received = [];
    const cutover = startPpm(['wave', 'cutover', 'w1'], env);
    for (let i = 0; i < 600 && received.length < 5; i++) await sleep(20);
    expect(received.length).toBeGreaterThanOrEqual(5);
    await fault();
    const finished = await Promise.race([cutover.done, deadline(40_000).then(() => undefined)]);
    if (!finished) cutover.child.kill('SIGKILL');
    expect({ finished: finished !== undefined }).toEqual({ finished: true });
    return finished!;
  }

  async function expectDeliveredOnce(env: Record<string, string>): Promise<void> {
    const url = env.MARKETPLACE_DATABASE_URL!;
    const byId = new Map<string, Received[]>();
    for (const message of received) byId.set(message.messageId, [...(byId.get(message.messageId) ?? []), message]);
    const distinct = [...byId.values()].map((copies) => `${copies[0]!.kind} ${copies[0]!.to}`).sort();
    const expected = await expectedMessages(url);
    expect(expected.length).toBeGreaterThan(10);
    expect(distinct.filter((m) => !m.startsWith('webinar-invitation '))).toEqual(expected);
    for (const copies of byId.values()) {
      expect(copies.length).toBeLessThanOrEqual(2);
      expect(new Set(copies.map((c) => `${c.kind} ${c.to}`)).size).toBe(1);
    }
    expect(
      await queryRows(
        url,
        `SELECT kind, state, count(*)::int AS n FROM migration.outbox WHERE state <> 'done' AND kind <> 'webinar-invitation' GROUP BY 1, 2`,
      ),
    ).toEqual([]);
    expect(await countRows(url, `SELECT count(*)::int AS n FROM migration.wave_partners WHERE state <> 'done'`)).toBe(
      0,
    );
    const fingerprint = await targetFingerprint(url);
    const verify = await runPpm(['verify', 'w1'], env);
    expect({ code: verify.code, out: verify.code === 0 ? '' : verify.stdout }).toEqual({ code: 0, out: '' });
    expect(await targetFingerprint(url)).toEqual(fingerprint);
  }

  it('Redis restarted (without persistence) mid-delivery: every message once', async () => {
    const env = await loadedWave('ppm_delivery_redis');
    const first = await cutoverThrough(env, () => redis.restart());
    if (first.code !== 0) {
      expect({
        code: first.code,
        stderr: first.stderr
          .split('\n')
          .filter((l) => l.startsWith('ppm:'))
          .join('\n'),
      }).toEqual({
        code: 1,
        stderr: expect.stringMatching(/Redis .*127\.0\.0\.1:\d+/),
      });
      const again = await runPpm(['wave', 'cutover', 'w1'], env);
      expect({ code: again.code, out: again.code === 0 ? '' : again.stderr }).toEqual({ code: 0, out: '' });
    }
    await expectDeliveredOnce(env);
  });

  it('PostgreSQL restarted mid-delivery: every message once', async () => {
    const env = await loadedWave('ppm_delivery_pg');
    const first = await cutoverThrough(env, async () => {
      await pg.stop();
      await sleep(3000);
      await pg.start();
    });
    if (first.code !== 0) {
      expect({
        code: first.code,
        stderr: first.stderr
          .split('\n')
          .filter((l) => l.startsWith('ppm:'))
          .join('\n'),
      }).toEqual({
        code: 1,
        stderr: expect.stringMatching(/marketplace database .*127\.0\.0\.1:\d+\/ppm_delivery_pg/),
      });
      const again = await runPpm(['wave', 'cutover', 'w1'], env);
      expect({ code: again.code, out: again.code === 0 ? '' : again.stderr }).toEqual({ code: 0, out: '' });
    }
    await expectDeliveredOnce(env);
  });
});
