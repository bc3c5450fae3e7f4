import type { AddressInfo } from 'node:net';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { queryRows, sleep } from '../helpers/pg';
import { SMTPServer } from 'smtp-server';
import { runPpm, startPpm } from '../helpers/cli';
import {
  dropQueues,
  freshMariaDb,
  freshPostgres,
  freshQueuePrefix,
  TEST_REDIS_URL,
  type TestDatabase,
} from '../helpers/databases';

interface Received {
  to: string;
  kind: string;
  messageId: string;
}

/**
 * Announce and cutover as an operator runs them, through the CLI, into a real SMTP server on
 * loopback: exactly the expected messages per kind and recipient, none for a partner whose
 * verification fails (its portal stays MigrationScheduled), the webinar invitation only after
 * its delay, nothing more on a rerun, and every message once when the worker delivering them
 * is killed with SIGKILL mid-delivery and started again.
 */
describe('cutover through the CLI into an SMTP server', () => {
  let legacy: TestDatabase;
  const targets: TestDatabase[] = [];
  const prefixes: string[] = [];
  let server: SMTPServer;
  let smtpUrl: string;
  let received: Received[] = [];
  /** Milliseconds the server takes per message: widens the window a kill lands in. */
  let dataDelayMs = 0;

  const envFor = (target: TestDatabase, extra: Record<string, string> = {}) => {
    const prefix = freshQueuePrefix('delivery');
    prefixes.push(prefix);
    return {
      LEGACY_DATABASE_URL: legacy.url,
      MARKETPLACE_DATABASE_URL: target.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      SMTP_URL: smtpUrl,
      SMTP_MAX_PER_SECOND: '500',
      NOTIFY_BACKOFF_MS: '200',
      JOB_LOCK_MS: '2000',
      WAVE_LEASE_MS: '1500',
      ...extra,
    };
  };

  /** The messages the wave should cause, from the target the wave wrote (one row per recipient). */
  async function expectedCutoverMessages(url: string, except: number[]): Promise<string[]> {
    const rows = await queryRows<{ partner: number; email: string; group_name: string }>(
      url,
      `SELECT a.legacy_partner_id AS partner, u.email, au.group_name
         FROM marketplace.account_users au
         JOIN marketplace.accounts a ON a.id = au.account_id
         JOIN marketplace.users u ON u.id = au.user_id
        WHERE NOT (a.legacy_partner_id = ANY($1::int[]))`,
      [except],
    );
    const expected: string[] = [];
    for (const row of rows) {
      expected.push(`account-migrated ${row.email}`, `invitation ${row.email}`);
      if (row.group_name === 'Administrators') expected.push(`csp-enrollment ${row.email}`);
    }
    return expected.sort();
  }

  const kindsAndRecipients = (messages: Received[], kinds: string[]) =>
    messages
      .filter((m) => kinds.includes(m.kind))
      .map((m) => `${m.kind} ${m.to}`)
      .sort();

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
          setTimeout(() => {
            received.push({ to, kind, messageId });
            callback();
          }, dataDelayMs);
        });
      },
    });
    // A client killed mid-message resets its connection: that is the server's to log, not a test failure.
    server.on('error', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    legacy = await freshMariaDb('delivery');
    expect(
      (await runPpm(['legacy', 'seed', '--partners', '10', '--seed', '3'], { LEGACY_DATABASE_URL: legacy.url })).code,
    ).toBe(0);
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await Promise.all([legacy?.drop(), ...targets.map((t) => t.drop()), ...prefixes.map(dropQueues)]);
  });

  it('sends exactly the expected messages, none for a partner that fails verification, webinars after their delay, nothing more on a rerun', async () => {
    const target = await freshPostgres('delivery_a');
    targets.push(target);
    const env = envFor(target, { WEBINAR_DELAY: '4s' });
    expect((await runPpm(['db', 'migrate'], env)).code).toBe(0);
    expect((await runPpm(['wave', 'plan', 'w1', '--all'], env)).code).toBe(0);

    const announce = await runPpm(['wave', 'announce', 'w1'], env);
    expect(announce.stderr).not.toMatch(/^ppm:/m);
    expect(announce.code).toBe(0);
    const notices = received.filter((m) => m.kind === 'migration-scheduled');
    expect(notices.length).toBeGreaterThan(5);
    expect(new Set(notices.map((m) => m.messageId)).size).toBe(notices.length);

    // Loaded and verified first; then one migrated partner's archive is changed, and `ppm verify`
    // sends it back to `loaded`: `ppm wave cutover` leaves it alone.
    const loaded = await runPpm(['wave', 'run', 'w1', '--no-cutover'], env);
    expect(loaded.code).toBe(0);
    expect(loaded.stdout).not.toMatch(/^cutover:/m);
    const [victim] = await queryRows<{ id: number; order: number }>(
      target.url,
      `SELECT o.legacy_partner_id AS id, min(o.legacy_order_id) AS "order"
         FROM archive.orders o JOIN marketplace.accounts a USING (legacy_partner_id)
        GROUP BY 1 ORDER BY 1 LIMIT 1`,
    );
    const client = new Client({ connectionString: target.url });
    await client.connect();
    await client.query('BEGIN');
    await client.query("SET LOCAL ppm.archive_write = 'on'");
    await client.query('UPDATE archive.orders SET total_amount = total_amount + 1 WHERE legacy_order_id = $1', [
      victim.order,
    ]);
    await client.query('COMMIT');
    await client.end();
    expect((await runPpm(['verify', 'w1'], env)).code).toBe(1);

    received = [];
    const run = await runPpm(['wave', 'cutover', 'w1'], env);
    expect(run.stderr).not.toMatch(/^ppm:/m);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^cutover: \d+ partner\(s\) cut over/m);
    expect(run.stdout).toMatch(/due later \(webinar invitations\)/);

    const my = await mysql.createConnection(legacy.url);
    const failed = (
      await queryRows<{ id: number }>(
        target.url,
        `SELECT legacy_partner_id AS id FROM migration.wave_partners WHERE state = 'loaded'`,
      )
    ).map((row) => row.id);
    const expected = await expectedCutoverMessages(target.url, failed);
    expect(failed).toEqual([victim.id]);
    expect(expected.length).toBeGreaterThan(10);
    expect(kindsAndRecipients(received, ['account-migrated', 'invitation', 'csp-enrollment'])).toEqual(expected);
    expect(received.filter((m) => m.kind === 'webinar-invitation')).toEqual([]);
    expect(new Set(received.map((m) => m.messageId)).size).toBe(received.length);

    // Portal modes: Archive for every partner cut over, and failed ones stay as announced.
    const [modes] = await my.query<mysql.RowDataPacket[]>('SELECT PartnerId, PortalMode FROM Partners');
    await my.end();
    const cut = await queryRows<{ id: number; state: string }>(
      target.url,
      `SELECT legacy_partner_id AS id, state FROM migration.wave_partners`,
    );
    for (const partner of cut) {
      const mode = modes.find((m) => Number(m.PartnerId) === partner.id)!.PortalMode;
      if (partner.state === 'done') expect([partner.id, mode]).toEqual([partner.id, 'Archive']);
      if (failed.includes(partner.id)) expect([partner.id, mode]).toEqual([partner.id, 'MigrationScheduled']);
    }

    // The webinar invitations come after their delay, from a worker that is running then.
    const worker = startPpm(['notify', 'worker'], env);
    try {
      for (let i = 0; i < 100 && received.filter((m) => m.kind === 'webinar-invitation').length === 0; i++)
        await sleep(100);
      await sleep(1500);
    } finally {
      worker.child.kill('SIGTERM');
    }
    expect((await worker.done).code).toBe(0);
    const webinars = received
      .filter((m) => m.kind === 'webinar-invitation')
      .map((m) => m.to)
      .sort();
    expect(webinars).toEqual(
      expected
        .filter((e) => e.startsWith('account-migrated '))
        .map((e) => e.slice('account-migrated '.length))
        .sort(),
    );

    // Verification at the load's watermark still holds after the portal modes moved the partner
    // rows past it: every partner verifies but the one whose archive was changed.
    const verifyAfter = await runPpm(['verify', 'w1'], env);
    expect(verifyAfter.stdout).toMatch(/— 9 of 10 partners verified/);

    // Run again, workers too: the load puts the changed row back, so the victim verifies and is
    // cut over now; nobody else gets anything more.
    const before = received.length;
    const again = await runPpm(['wave', 'run', 'w1'], env);
    expect(again.code).toBe(0);
    const second = startPpm(['notify', 'worker'], env);
    await sleep(2000);
    second.child.kill('SIGTERM');
    await second.done;
    const all = await expectedCutoverMessages(target.url, []);
    const victimOnly = all.filter((message) => !expected.includes(message));
    expect(victimOnly.length).toBeGreaterThan(0);
    expect(kindsAndRecipients(received.slice(before), ['account-migrated', 'invitation', 'csp-enrollment'])).toEqual(
      victimOnly,
    );
  });

  it('delivers every message once when the worker is killed with SIGKILL mid-delivery and started again', async () => {
    const target = await freshPostgres('delivery_b');
    targets.push(target);
    const env = envFor(target, { WEBINAR_DELAY: '2d', WORKER_CONCURRENCY: '2' });
    expect((await runPpm(['db', 'migrate'], env)).code).toBe(0);
    expect((await runPpm(['wave', 'plan', 'w1', '--all'], env)).code).toBe(0);
    received = [];
    dataDelayMs = 40;
    try {
      // The wave waits for workers elsewhere; the first is killed once messages flow.
      const run = startPpm(['wave', 'run', 'w1', '--no-local-worker'], env);
      const first = startPpm(['worker'], env);
      for (let i = 0; i < 600 && received.length < 5; i++) await sleep(50);
      expect(received.length).toBeGreaterThanOrEqual(5);
      first.child.kill('SIGKILL');
      expect((await first.done).signal).toBe('SIGKILL');
      const atKill = received.length;
      const second = startPpm(['worker'], env);
      const result = await run.done;
      second.child.kill('SIGTERM');
      await second.done;
      expect(result.stdout).toMatch(/^cutover: /m);
      expect(result.code).toBe(0);

      const expected = await expectedCutoverMessages(target.url, []);
      expect(received.length).toBeGreaterThan(atKill);
      // Each expected message arrived; a second copy only with the same Message-ID (the window
      // between the server accepting it and its row being marked).
      const byId = new Map<string, Received[]>();
      for (const message of received) byId.set(message.messageId, [...(byId.get(message.messageId) ?? []), message]);
      const distinct = [...byId.values()].map((copies) => copies[0]!);
      expect(kindsAndRecipients(distinct, ['account-migrated', 'invitation', 'csp-enrollment'])).toEqual(expected);
      for (const copies of byId.values()) {
        expect(copies.length).toBeLessThanOrEqual(2);
        expect(new Set(copies.map((c) => `${c.kind} ${c.to}`)).size).toBe(1);
      }
      const [outbox] = await queryRows<{ open: number }>(
        target.url,
        `SELECT count(*)::int AS open FROM migration.outbox WHERE state <> 'done' AND kind <> 'webinar-invitation'`,
      );
      expect(outbox.open).toBe(0);
    } finally {
      dataDelayMs = 0;
    }
  });
});
