import mysql from 'mysql2/promise';
import { loadConfig } from '../../src/core/config';
import { createLogger } from '../../src/core/logger';
import { listWavePartners, migrateTarget, setPartnerState } from '../../src/load';
import { readOutboxCounts } from '../../src/notify';
import { normaliseEmail } from '../../src/transform';
import { seedLegacy } from '../../pipelines/commands/legacy-setup';
import { relayOutbox, type EffectQueues } from '../../pipelines/jobs/outbox-relay';
import { createPortalWorker, performPortalMode } from '../../pipelines/jobs/portal-worker';
import { connectRedis } from '../../pipelines/jobs/redis';
import { Queue } from 'bullmq';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileTransport, tokenSha256 } from '../../src/notify';
import { createMessageWorker } from '../../pipelines/jobs/message-worker';
import { announceWave } from '../../pipelines/commands/wave-announce';
import { cutoverWave } from '../../pipelines/commands/wave-cutover';
import { planWave } from '../../pipelines/commands/wave-plan';
import { runWave } from '../../pipelines/commands/wave-run';
import { openServices, type Services } from '../../pipelines/services';
import {
  dropQueues,
  freshMariaDb,
  freshPostgres,
  freshQueuePrefix,
  TEST_REDIS_URL,
  type TestDatabase,
} from '../helpers/databases';

interface OutboxRow {
  event_key: string;
  kind: string;
  queue: string;
  state: string;
  legacy_partner_id: number;
  after_event_key: string | null;
  not_before: Date | null;
  payload: { recipient?: { email: string }; mode?: string; mpnId?: string | null };
}

/** Announce and cutover record each effect once in the outbox, in the transaction of the state change. */
describe('announce and cutover record their effects in the outbox', () => {
  let databases: TestDatabase[];
  let services: Services;
  let prefix: string;
  let my: mysql.Connection;
  const WEBINAR_DELAY_MS = 3_600_000;

  const outbox = async (): Promise<OutboxRow[]> =>
    (await services.target.raw('SELECT * FROM migration.outbox ORDER BY id')).rows;

  beforeAll(async () => {
    databases = [await freshPostgres('cutover'), await freshMariaDb('cutover')];
    prefix = freshQueuePrefix('cutover');
    const config = loadConfig({
      MARKETPLACE_DATABASE_URL: databases[0].url,
      LEGACY_DATABASE_URL: databases[1].url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      WEBINAR_DELAY: `${WEBINAR_DELAY_MS}`,
    });
    await seedLegacy(config, { partners: 12, seed: 7 });
    await migrateTarget(config.MARKETPLACE_DATABASE_URL);
    services = await openServices(config, createLogger({ level: 'warn' }));
    my = await mysql.createConnection(databases[1].url);
    await planWave(services, 'w1', { all: true });
  });

  afterAll(async () => {
    await my?.end();
    await services?.close();
    for (const database of databases ?? []) await database.drop();
    await dropQueues(prefix);
  });

  it('announces each planned, open partner once: the banner, then a notice per active user with a valid address', async () => {
    const [partners] = await my.query<mysql.RowDataPacket[]>(
      'SELECT PartnerId, Status FROM Partners ORDER BY PartnerId',
    );
    const [users] = await my.query<mysql.RowDataPacket[]>(
      'SELECT PartnerId, UserId, Email, IsActive FROM PartnerUsers',
    );
    const open = partners
      .filter((p) => String(p.Status).trim().toLowerCase() !== 'closed')
      .map((p) => Number(p.PartnerId));
    const expectedNotices = new Set<string>();
    for (const partnerId of open) {
      const seen = new Set<string>();
      for (const user of users.filter((u) => Number(u.PartnerId) === partnerId && Number(u.IsActive) === 1)) {
        const email = normaliseEmail(user.Email);
        if (!email.ok || seen.has(email.value)) continue;
        seen.add(email.value);
        expectedNotices.add(`migration-scheduled.${partnerId}.${user.UserId}`);
      }
    }

    const first = await announceWave(services, 'w1');
    expect(first).toEqual({ announced: 12, skipped: 0, notices: expectedNotices.size });
    const rows = await outbox();
    expect(rows.filter((r) => r.kind === 'portal-mode').map((r) => r.event_key)).toEqual(
      open.map((id) => `portal-mode.${id}.MigrationScheduled`),
    );
    expect(new Set(rows.filter((r) => r.kind === 'migration-scheduled').map((r) => r.event_key))).toEqual(
      expectedNotices,
    );
    for (const notice of rows.filter((r) => r.kind === 'migration-scheduled')) {
      expect(notice).toMatchObject({
        queue: 'notifications',
        state: 'pending',
        after_event_key: `portal-mode.${notice.legacy_partner_id}.MigrationScheduled`,
      });
    }
    expect((await listWavePartners(services.target, 1)).every((p) => p.state === 'notified')).toBe(true);

    const again = await announceWave(services, 'w1');
    expect(again).toEqual({ announced: 0, skipped: 12, notices: 0 });
    expect(await outbox()).toHaveLength(rows.length);
  });

  it('cuts over verified partners only, each effect once and in order', async () => {
    const run = await runWave(services, 'w1', { cutover: false });
    const states = await listWavePartners(services.target, 1);
    const verified = states.filter((p) => p.state === 'verified').map((p) => p.legacy_partner_id);
    expect(verified.length).toBeGreaterThan(2);
    expect(run.failed.map((f) => f.partnerId).sort()).toEqual(
      states
        .filter((p) => p.state !== 'verified')
        .map((p) => p.legacy_partner_id)
        .sort(),
    );
    // One verified partner is sent back as if its verification had failed: it must get nothing.
    const heldBack = verified[0]!;
    await setPartnerState(services.target, 1, heldBack, 'loaded');
    const before = (await outbox()).length;
    const started = Date.now();

    const result = await cutoverWave(services, 'w1');
    expect(result.cutover).toBe(verified.length - 1);
    const rows = (await outbox()).slice(before);
    expect(rows.filter((r) => r.legacy_partner_id === heldBack)).toEqual([]);

    const { rows: members } = await services.target.raw(
      `SELECT a.legacy_partner_id, au.id, au.legacy_user_id, au.group_name, u.email
         FROM marketplace.account_users au
         JOIN marketplace.accounts a ON a.id = au.account_id
         JOIN marketplace.users u ON u.id = au.user_id`,
    );
    let closed = 0;
    for (const partnerId of verified.slice(1)) {
      const mine = rows.filter((r) => r.legacy_partner_id === partnerId);
      const users = members.filter((m: { legacy_partner_id: number }) => Number(m.legacy_partner_id) === partnerId);
      const { rows: accounts } = await services.target.raw(
        'SELECT 1 FROM marketplace.accounts WHERE legacy_partner_id = ?',
        [partnerId],
      );
      if (accounts.length === 0) {
        closed += 1;
        expect(mine.map((r) => r.event_key)).toEqual([`portal-mode.${partnerId}.Archive`]);
        continue;
      }
      const keys = (kind: string) =>
        mine
          .filter((r) => r.kind === kind)
          .map((r) => r.event_key)
          .sort();
      const perUser = (kind: string) =>
        users.map((u: { legacy_user_id: number }) => `${kind}.${partnerId}.${u.legacy_user_id}`).sort();
      expect(keys('portal-mode')).toEqual([`portal-mode.${partnerId}.Archive`, `portal-mode.${partnerId}.Migrated`]);
      expect(keys('account-migrated')).toEqual(perUser('account-migrated'));
      expect(keys('invitation')).toEqual(users.map((u: { id: string }) => `invitation.${u.id}`).sort());
      expect(keys('csp-enrollment')).toEqual(
        users
          .filter((u: { group_name: string }) => u.group_name === 'Administrators')
          .map((u: { legacy_user_id: number }) => `csp-enrollment.${partnerId}.${u.legacy_user_id}`)
          .sort(),
      );
      expect(keys('webinar-invitation')).toEqual(perUser('webinar-invitation'));
      // Order: Migrated, the account-migrated e-mails one after another, then Archive; webinars after Archive, delayed.
      const byKey = new Map(mine.map((r) => [r.event_key, r]));
      // Every partner here was announced: Migrated waits for the banner, or a late banner would hide it.
      expect(byKey.get(`portal-mode.${partnerId}.Migrated`)?.after_event_key).toBe(
        `portal-mode.${partnerId}.MigrationScheduled`,
      );
      const chain: string[] = [];
      let previous = `portal-mode.${partnerId}.Migrated`;
      for (;;) {
        const mail = mine.find((r) => r.kind === 'account-migrated' && r.after_event_key === previous);
        if (!mail) break;
        chain.push(mail.event_key);
        previous = mail.event_key;
      }
      expect([...chain].sort()).toEqual(perUser('account-migrated'));
      expect(byKey.get(`portal-mode.${partnerId}.Archive`)?.after_event_key).toBe(previous);
      for (const webinar of mine.filter((r) => r.kind === 'webinar-invitation')) {
        expect(webinar.after_event_key).toBe(`portal-mode.${partnerId}.Archive`);
        expect(new Date(webinar.not_before!).getTime()).toBeGreaterThanOrEqual(started + WEBINAR_DELAY_MS - 1000);
      }
      for (const message of mine.filter((r) => r.kind !== 'portal-mode')) {
        const user = users.find((u: { email: string }) => u.email === message.payload.recipient?.email);
        expect(user).toBeDefined();
      }
    }
    expect(result.closed).toBe(closed);
    expect(result.effects).toBe(rows.length);
    expect((await listWavePartners(services.target, 1)).filter((p) => p.state === 'cutover')).toHaveLength(
      verified.length - 1,
    );

    const again = await cutoverWave(services, 'w1');
    expect(again).toEqual({ cutover: 0, closed: 0, effects: 0 });
    expect((await outbox()).length).toBe(before + rows.length);
    const counts = await readOutboxCounts(services.target, { waveId: 1 });
    expect(counts.reduce((sum, c) => sum + c.count, 0)).toBe(before + rows.length);
    expect(counts.every((c) => c.state === 'pending')).toBe(true);
  });

  it('performs the portal writes once each, in order, and settles partners whose effects are all done', async () => {
    const redis = connectRedis(TEST_REDIS_URL);
    const queue = (name: string) => new Queue(name, { connection: redis, prefix });
    const queues: EffectQueues = {
      portal: queue('portal'),
      notifications: queue('notifications'),
      invitations: queue('invitations'),
    };
    const worker = createPortalWorker(services);
    const portalDone = async (expected: number) => {
      for (let i = 0; i < 100; i += 1) {
        const { rows } = await services.target.raw(
          "SELECT count(*)::int AS n FROM migration.outbox WHERE kind = 'portal-mode' AND state = 'done'",
        );
        if (rows[0].n >= expected) return rows[0].n as number;
        await relayOutbox(services.target, queues);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error('portal writes did not finish');
    };
    try {
      const rows = await outbox();
      // Due now: every MigrationScheduled banner, every Migrated, and the Archive of partners with no message before it.
      const due = rows.filter(
        (r) =>
          r.kind === 'portal-mode' &&
          (r.after_event_key === null ||
            !rows.some((m) => m.event_key === r.after_event_key && m.kind !== 'portal-mode')),
      );
      expect(await portalDone(due.length)).toBe(due.length);
      const [partners] = await my.query<mysql.RowDataPacket[]>('SELECT PartnerId, PortalMode FROM Partners');
      const modeOf = new Map(partners.map((p) => [Number(p.PartnerId), String(p.PortalMode)]));
      const states = new Map((await listWavePartners(services.target, 1)).map((p) => [p.legacy_partner_id, p.state]));
      for (const partnerId of modeOf.keys()) {
        const mine = due.filter((r) => r.legacy_partner_id === partnerId).map((r) => r.payload.mode);
        const expected = mine.includes('Archive')
          ? 'Archive'
          : mine.includes('Migrated')
            ? 'Migrated'
            : (mine[0] ?? 'Live');
        expect({ partnerId, mode: modeOf.get(partnerId) }).toEqual({ partnerId, mode: expected });
        // A closed partner's one effect is archive mode: once it is done, the partner is done.
        const closedOnly =
          rows.filter((r) => r.legacy_partner_id === partnerId && r.kind !== 'migration-scheduled').length === 1;
        if (states.get(partnerId) !== 'loaded' && closedOnly) expect(states.get(partnerId)).toBe('done');
      }
      // A repeat of a done effect does nothing, even when the portal has changed since.
      const [first] = due;
      await my.query('UPDATE Partners SET PortalMode = ? WHERE PartnerId = ?', ['Live', first!.legacy_partner_id]);
      expect(await performPortalMode(services, first!.payload)).toBe('already done');
      const [[after]] = await my.query<mysql.RowDataPacket[]>('SELECT PortalMode FROM Partners WHERE PartnerId = ?', [
        first!.legacy_partner_id,
      ]);
      expect(after!.PortalMode).toBe('Live');
    } finally {
      await worker.close();
      await Promise.all(Object.values(queues).map((q) => q.close()));
      redis.disconnect();
    }
  });

  it('delivers every due effect once; partners whose effects are all done are done, invitations stored as hashes', async () => {
    const redis = connectRedis(TEST_REDIS_URL);
    const queue = (name: string) => new Queue(name, { connection: redis, prefix });
    const queues: EffectQueues = {
      portal: queue('portal'),
      notifications: queue('notifications'),
      invitations: queue('invitations'),
    };
    const dir = mkdtempSync(join(tmpdir(), 'ppm-cutover-mail-'));
    const transport = createFileTransport({ dir, from: 'migration@example.com' });
    const options = { transport, backoffMs: 50, inviteUrl: 'https://example.test/accept?token=' };
    const workers = [
      createPortalWorker(services),
      createMessageWorker(services, 'notifications', options),
      createMessageWorker(services, 'invitations', options),
    ];
    try {
      for (let i = 0; i < 300; i += 1) {
        await relayOutbox(services.target, queues, { attempts: 3 });
        const { rows } = await services.target.raw(
          "SELECT count(*)::int AS n FROM migration.outbox WHERE state <> 'done' AND kind <> 'webinar-invitation'",
        );
        if (rows[0].n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const rows = await outbox();
      expect(rows.filter((r) => r.kind !== 'webinar-invitation' && r.state !== 'done')).toEqual([]);
      // Every message once: one .eml per message row done.
      const messages = rows.filter((r) => r.kind !== 'portal-mode' && r.kind !== 'webinar-invitation');
      expect(readdirSync(dir).filter((f) => f.endsWith('.eml'))).toHaveLength(messages.length);
      const states = await listWavePartners(services.target, 1);
      for (const partner of states) {
        if (
          rows.some(
            (r) =>
              r.legacy_partner_id === partner.legacy_partner_id &&
              r.kind === 'portal-mode' &&
              !r.event_key.endsWith('MigrationScheduled'),
          )
        ) {
          expect({ partner: partner.legacy_partner_id, state: partner.state }).toEqual({
            partner: partner.legacy_partner_id,
            state: 'done',
          });
        }
      }
      // Invitations: sent, 7 days to accept, only the token's hash stored; the link in the message carries the token.
      const { rows: invitations } = await services.target.raw(
        `SELECT i.event_key, i.token_sha256, i.sent_at, i.expires_at, au.invited_at, au.invitation_expires_at
           FROM migration.invitations i JOIN marketplace.account_users au ON au.id = i.account_user_id`,
      );
      expect(invitations).toHaveLength(rows.filter((r) => r.kind === 'invitation').length);
      const files = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
      for (const invitation of invitations) {
        expect(new Date(invitation.expires_at).getTime() - new Date(invitation.sent_at).getTime()).toBe(
          7 * 24 * 3600 * 1000,
        );
        expect(new Date(invitation.invited_at).getTime()).toBe(new Date(invitation.sent_at).getTime());
        const tokens = files.flatMap((text) =>
          [
            ...text
              .replace(/=\r?\n/g, '')
              .replace(/=3D/g, '=')
              .matchAll(/token=([A-Za-z0-9_-]{43})/g),
          ].map((m) => m[1]!),
        );
        expect(tokens.map(tokenSha256)).toContain(invitation.token_sha256);
      }
      // The webinar invitations, released by Archive, wait in BullMQ as delayed jobs.
      await relayOutbox(services.target, queues);
      const webinars = rows.filter((r) => r.kind === 'webinar-invitation');
      expect(webinars.length).toBeGreaterThan(0);
      for (const webinar of webinars) {
        expect(await (await queues.notifications.getJob(webinar.event_key))?.getState()).toBe('delayed');
      }
      // Nothing more on a rerun: no new row, nothing due.
      expect(await cutoverWave(services, 'w1')).toEqual({ cutover: 0, closed: 0, effects: 0 });
      expect(await relayOutbox(services.target, queues)).toBe(0);
    } finally {
      await Promise.all(workers.map((worker) => worker.close()));
      await transport.close();
      await Promise.all(Object.values(queues).map((q) => q.close()));
      redis.disconnect();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
