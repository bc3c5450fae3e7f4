import { Queue, type Worker } from 'bullmq';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/core/config';
import { UsageError } from '../../src/core/errors';
import { createLogger } from '../../src/core/logger';
import { listWavePartners, migrateTarget } from '../../src/load';
import { createFileTransport, DeliveryError, messageIdOf, tokenSha256, type MessageTransport } from '../../src/notify';
import { main } from '../../src/cli/main';
import { resendInvitations, revokeInvitations } from '../../pipelines/commands/invitations';
import { seedLegacy } from '../../pipelines/commands/legacy-setup';
import { retryFailedEffects } from '../../pipelines/commands/notify-retry';
import { readStatus } from '../../pipelines/commands/status';
import { announceWave } from '../../pipelines/commands/wave-announce';
import { cutoverWave } from '../../pipelines/commands/wave-cutover';
import { planWave } from '../../pipelines/commands/wave-plan';
import { runWave } from '../../pipelines/commands/wave-run';
import { createMessageWorker } from '../../pipelines/jobs/message-worker';
import { relayOutbox, type EffectQueues } from '../../pipelines/jobs/outbox-relay';
import { createPortalWorker } from '../../pipelines/jobs/portal-worker';
import { connectRedis } from '../../pipelines/jobs/redis';
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
  id: string;
  event_key: string;
  kind: string;
  state: string;
  legacy_partner_id: number;
  after_event_key: string | null;
  attempts: number;
  last_error: string | null;
  failed_at: Date | null;
  payload: { recipient?: { email: string }; accountUserId?: string | null; eventKey: string };
}

interface InvitationRow {
  id: string;
  account_user_id: string;
  event_key: string;
  token_sha256: string | null;
  sent_at: Date | null;
  expires_at: Date | null;
  accepted_at: Date | null;
  revoked_at: Date | null;
  superseded_by: string | null;
}

/** Failed effects listed, retried and delivered once; invitations resent with a new token, or revoked for good. */
describe('ppm status, notify retry and invitations resend/revoke', () => {
  let databases: TestDatabase[];
  let services: Services;
  let prefix: string;
  let dir: string;
  let queues: EffectQueues;
  let workers: Worker[];
  let redis: ReturnType<typeof connectRedis>;
  let transport: MessageTransport;
  const env: Record<string, string> = {};
  /** Message-IDs the test's relay refuses with a permanent SMTP error. */
  const refused = new Set<string>();
  /** Messages delivered, by Message-ID. */
  const delivered = new Map<string, number>();

  const outbox = async (): Promise<OutboxRow[]> =>
    (await services.target.raw('SELECT * FROM migration.outbox ORDER BY id')).rows;
  const rowOf = async (eventKey: string): Promise<OutboxRow> =>
    services.target('migration.outbox').first('*').where({ event_key: eventKey });
  const invitationsOf = async (accountUserId: string): Promise<InvitationRow[]> =>
    services.target('migration.invitations').select('*').where({ account_user_id: accountUserId }).orderBy('id');

  /** Relays and performs every effect that can happen now (webinars are days away), until none is left. */
  const deliver = async () => {
    for (let i = 0; i < 300; i += 1) {
      await relayOutbox(services.target, queues, { attempts: 2 });
      const { rows } = await services.target.raw(
        `SELECT count(*)::int AS n FROM migration.outbox
          WHERE state IN ('pending', 'enqueued') AND kind <> 'webinar-invitation'`,
      );
      if (rows[0].n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the outbox did not settle');
  };

  /** The accept tokens in the .eml of an invitation. */
  const tokensOf = (eventKey: string): string[] => {
    const file = join(
      dir,
      `${messageIdOf(eventKey)
        .replace(/[<>]/g, '')
        .replace(/[^A-Za-z0-9.@-]/g, '_')}.eml`,
    );
    const text = readFileSync(file, 'utf8')
      .replace(/=\r?\n/g, '')
      .replace(/=3D/g, '=');
    return [...text.matchAll(/token=([A-Za-z0-9_-]{43})/g)].map((m) => m[1]!);
  };

  beforeAll(async () => {
    databases = [await freshPostgres('operator'), await freshMariaDb('operator')];
    prefix = freshQueuePrefix('operator');
    Object.assign(env, {
      MARKETPLACE_DATABASE_URL: databases[0]!.url,
      LEGACY_DATABASE_URL: databases[1]!.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      WEBINAR_DELAY: '2d',
      LOG_LEVEL: 'warn',
    });
    const config = loadConfig(env);
    await seedLegacy(config, { partners: 8, seed: 11 });
    await migrateTarget(config.MARKETPLACE_DATABASE_URL);
    services = await openServices(config, createLogger({ level: 'warn' }));
    await planWave(services, 'w', { all: true });
    await announceWave(services, 'w');
    await runWave(services, 'w', { cutover: false });
    await cutoverWave(services, 'w');

    dir = mkdtempSync(join(tmpdir(), 'ppm-operator-mail-'));
    const files = createFileTransport({ dir, from: 'migration@example.com' });
    transport = {
      async send(message) {
        const id = message.headers['Message-ID']!;
        if (refused.has(id)) throw new DeliveryError(`SMTP 550: 5.1.1 <${message.to}> mailbox unavailable`, true, 550);
        await files.send(message);
        delivered.set(id, (delivered.get(id) ?? 0) + 1);
      },
      close: () => files.close(),
    };
    redis = connectRedis(TEST_REDIS_URL);
    const queue = (name: string) => new Queue(name, { connection: redis, prefix });
    queues = { portal: queue('portal'), notifications: queue('notifications'), invitations: queue('invitations') };
    const options = { transport, backoffMs: 50, inviteUrl: 'https://example.test/accept?token=' };
    workers = [
      createPortalWorker(services),
      createMessageWorker(services, 'notifications', options),
      createMessageWorker(services, 'invitations', options),
    ];
  });

  afterAll(async () => {
    await Promise.all((workers ?? []).map((worker) => worker.close()));
    await transport?.close();
    await Promise.all(Object.values(queues ?? {}).map((queue) => queue.close()));
    redis?.disconnect();
    await services?.close();
    for (const database of databases ?? []) await database.drop();
    await dropQueues(prefix);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists a failed message with its reason (redacted), re-queues it, and it is delivered once', async () => {
    const rows = await outbox();
    const waitedFor = new Set(rows.map((row) => row.after_event_key));
    // A message nothing waits for, so the rest of its partner's effects still happen.
    const victim = rows.find(
      (row) => row.kind === 'csp-enrollment' || (row.kind === 'account-migrated' && !waitedFor.has(row.event_key)),
    )!;
    expect(victim).toBeDefined();
    const messageId = messageIdOf(victim.event_key);
    refused.add(messageId);
    await deliver();

    const failed = await rowOf(victim.event_key);
    expect(failed).toMatchObject({ state: 'failed', attempts: 1 });
    expect(failed.failed_at).not.toBeNull();
    const email = victim.payload.recipient!.email;
    expect(failed.last_error).toContain('SMTP 550');
    expect(failed.last_error).not.toContain(email);

    const status = await readStatus(services, 'w');
    expect(status.failures).toContainEqual({
      partnerId: victim.legacy_partner_id,
      kind: victim.kind,
      eventKey: victim.event_key,
      reason: failed.last_error,
    });
    expect(status.outbox[victim.kind]!.failed).toBe(1);
    const json = JSON.stringify(status);
    for (const row of rows) if (row.payload.recipient) expect(json).not.toContain(row.payload.recipient.email);
    const partnerState = async () =>
      (await listWavePartners(services.target, 1)).find((p) => p.legacy_partner_id === victim.legacy_partner_id)!.state;
    expect(await partnerState()).toBe('cutover');

    await expect(retryFailedEffects(services, { kind: 'carrier-pigeon' })).rejects.toThrow(UsageError);
    await expect(retryFailedEffects(services, { kind: 'carrier-pigeon' })).rejects.toThrow(
      /portal-mode, migration-scheduled, account-migrated, invitation, csp-enrollment, webinar-invitation/,
    );
    await expect(retryFailedEffects(services, { waveName: 'nope' })).rejects.toThrow(UsageError);
    // Another partner's or kind's failures are not touched.
    expect(await retryFailedEffects(services, { kind: victim.kind, partnerId: victim.legacy_partner_id + 1000 })).toBe(
      0,
    );
    expect(await retryFailedEffects(services, { kind: 'portal-mode' })).toBe(0);

    expect(
      await retryFailedEffects(services, { kind: victim.kind, partnerId: victim.legacy_partner_id, waveName: 'w' }),
    ).toBe(1);
    const requeued = await rowOf(victim.event_key);
    // Attempts and the reason are kept until the next attempt; the relay removes the old failed job first.
    expect(requeued).toMatchObject({ state: 'pending', failed_at: null, attempts: 1, last_error: failed.last_error });
    expect(await retryFailedEffects(services, { kind: victim.kind })).toBe(0);

    refused.delete(messageId);
    await deliver();
    expect((await rowOf(victim.event_key)).state).toBe('done');
    expect(delivered.get(messageId)).toBe(1);
    expect(await partnerState()).toBe('done');
    expect((await readStatus(services, 'w')).failures.filter((f) => f.eventKey === victim.event_key)).toEqual([]);
    // Everything else was delivered exactly once too.
    expect([...delivered.values()].every((n) => n === 1)).toBe(true);
  });

  it('resends an invitation with a new token and a new expiry; the first is no longer open', async () => {
    const [first] = (await services
      .target('migration.invitations')
      .select('*')
      .whereNotNull('sent_at')
      .orderBy('id')) as InvitationRow[];
    expect(first).toBeDefined();
    const user = first!.account_user_id;
    expect(tokensOf(first!.event_key).map(tokenSha256)).toContain(first!.token_sha256);
    await new Promise((resolve) => setTimeout(resolve, 20));

    const result = await resendInvitations(services, { accountUserId: user });
    expect(result).toEqual({ resent: 1, eventKeys: [`invitation.${user}.resend.1`], skipped: [] });
    const [old, replacement] = await invitationsOf(user);
    expect(old!.revoked_at).not.toBeNull();
    expect(old!.superseded_by).toBe(replacement!.id);
    expect(replacement).toMatchObject({ event_key: `invitation.${user}.resend.1`, token_sha256: null, sent_at: null });
    const resent = await rowOf(`invitation.${user}.resend.1`);
    const original = await rowOf(first!.event_key);
    expect(resent).toMatchObject({ kind: 'invitation', queue: 'invitations', state: 'pending', after_event_key: null });
    expect(resent.payload).toEqual({ ...original.payload, eventKey: `invitation.${user}.resend.1` });
    // One on its way already: not resent again.
    expect((await resendInvitations(services, { accountUserId: user })).skipped).toEqual([
      { accountUserId: user, partnerId: original.legacy_partner_id, reason: 'in-flight' },
    ]);

    await deliver();
    const [after, sent] = await invitationsOf(user);
    expect(after).toMatchObject({ token_sha256: first!.token_sha256, superseded_by: sent!.id });
    expect(sent!.token_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(sent!.token_sha256).not.toBe(first!.token_sha256);
    expect(new Date(sent!.expires_at!).getTime()).toBeGreaterThan(new Date(first!.expires_at!).getTime());
    expect(new Date(sent!.expires_at!).getTime() - new Date(sent!.sent_at!).getTime()).toBe(7 * 24 * 3600 * 1000);
    expect(tokensOf(sent!.event_key).map(tokenSha256)).toEqual([sent!.token_sha256]);
    const accountUser = await services.target('marketplace.account_users').first('*').where({ id: user });
    expect(new Date(accountUser.invitation_expires_at).getTime()).toBe(new Date(sent!.expires_at!).getTime());
    const open = (await invitationsOf(user)).filter((i) => !i.accepted_at && !i.revoked_at && !i.superseded_by);
    expect(open.map((i) => i.id)).toEqual([sent!.id]);
    expect((await readStatus(services, 'w')).invitations.superseded).toBe(1);

    // A second resend numbers on.
    expect((await resendInvitations(services, { accountUserId: user })).eventKeys).toEqual([
      `invitation.${user}.resend.2`,
    ]);
    await deliver();
  });

  it('revokes an invitation: never resent after that, and an unsent one is never sent', async () => {
    const [sentOne] = (await services
      .target('migration.invitations')
      .select('*')
      .whereNotNull('sent_at')
      .orderBy('id')) as InvitationRow[];
    const user = sentOne!.account_user_id;
    const partnerId = (await rowOf(`invitation.${user}`)).legacy_partner_id;
    expect(await revokeInvitations(services, { accountUserId: user })).toEqual({
      revoked: 1,
      outboxFailed: 0,
      skipped: [],
    });
    expect((await invitationsOf(user)).filter((i) => !i.revoked_at)).toEqual([]);
    expect(await resendInvitations(services, { accountUserId: user })).toEqual({
      resent: 0,
      eventKeys: [],
      skipped: [{ accountUserId: user, partnerId, reason: 'revoked' }],
    });
    expect((await revokeInvitations(services, { accountUserId: user })).skipped).toEqual([
      { accountUserId: user, partnerId, reason: 'revoked' },
    ]);

    // Resent, then revoked before it went out: its row fails as revoked, and a retry sends nothing.
    const { rows: others } = await services.target.raw(
      `SELECT account_user_id FROM migration.invitations
        WHERE sent_at IS NOT NULL AND accepted_at IS NULL AND revoked_at IS NULL AND superseded_by IS NULL
          AND account_user_id <> ? ORDER BY id LIMIT 2`,
      [user],
    );
    const [other, acceptor] = others.map((row: { account_user_id: string }) => row.account_user_id) as string[];
    const { eventKeys } = await resendInvitations(services, { accountUserId: other! });
    expect(eventKeys).toEqual([`invitation.${other}.resend.1`]);
    expect(await revokeInvitations(services, { accountUserId: other! })).toEqual({
      revoked: 1,
      outboxFailed: 1,
      skipped: [],
    });
    expect(await rowOf(eventKeys[0]!)).toMatchObject({ state: 'failed', last_error: 'revoked' });
    const revokedStatus = await readStatus(services);
    expect(revokedStatus.failures).toContainEqual(
      expect.objectContaining({ kind: 'invitation', eventKey: eventKeys[0], reason: 'revoked' }),
    );
    expect(revokedStatus.invitations.revoked).toBe(2);
    expect(await retryFailedEffects(services, { kind: 'invitation' })).toBe(1);
    await deliver();
    expect((await rowOf(eventKeys[0]!)).state).toBe('done');
    expect(delivered.get(messageIdOf(eventKeys[0]!))).toBeUndefined();
    expect((await invitationsOf(other!)).find((i) => i.event_key === eventKeys[0])?.token_sha256).toBeNull();

    // Accepted by the user in the marketplace: neither resent nor revoked.
    await services
      .target('migration.invitations')
      .update({ accepted_at: services.target.fn.now() })
      .where({ account_user_id: acceptor, superseded_by: null, revoked_at: null });
    expect((await resendInvitations(services, { accountUserId: acceptor! })).skipped[0]?.reason).toBe('accepted');
    expect((await revokeInvitations(services, { accountUserId: acceptor! })).skipped[0]?.reason).toBe('accepted');
    expect((await readStatus(services, 'w')).invitations.accepted).toBe(1);

    // By partner: every account user of the partner, each reported.
    const byPartner = await revokeInvitations(services, { partnerId });
    const { rows: members } = await services.target.raw(
      `SELECT au.id FROM marketplace.account_users au JOIN marketplace.accounts a ON a.id = au.account_id
        WHERE a.legacy_partner_id = ?`,
      [partnerId],
    );
    expect(byPartner.revoked + byPartner.skipped.length).toBe(members.length);
    expect(byPartner.skipped).toContainEqual({ accountUserId: user, partnerId, reason: 'revoked' });

    await expect(resendInvitations(services, {})).rejects.toThrow(UsageError);
    await expect(resendInvitations(services, { accountUserId: user, partnerId })).rejects.toThrow(UsageError);
    await expect(revokeInvitations(services, { accountUserId: 'AUSR-0000-0000-0000-0000' })).rejects.toThrow(
      UsageError,
    );
  });

  it('reports the status as one JSON document, of a wave or of all, and refuses an unknown wave', async () => {
    const status = await readStatus(services, 'w');
    expect(Object.keys(status).sort()).toEqual(['failures', 'invitations', 'outbox', 'sync', 'wave', 'waves']);
    expect(status.wave).toBe('w');
    expect(status.waves).toHaveLength(1);
    const [wave] = status.waves;
    expect(Object.keys(wave!.partners)).toEqual([
      'planned',
      'notified',
      'loading',
      'loaded',
      'verified',
      'cutover',
      'done',
      'failed',
    ]);
    const states = await listWavePartners(services.target, 1);
    expect(wave!.total).toBe(states.length);
    expect(wave!.partners.done).toBe(states.filter((p) => p.state === 'done').length);
    for (const failure of states.filter((p) => p.state === 'failed'))
      expect(status.failures).toContainEqual({
        partnerId: failure.legacy_partner_id,
        kind: 'partner',
        eventKey: null,
        reason: expect.any(String),
      });
    const rows = await outbox();
    for (const [kind, counts] of Object.entries(status.outbox)) {
      expect(Object.keys(counts)).toEqual(['pending', 'enqueued', 'done', 'failed']);
      for (const [state, n] of Object.entries(counts))
        expect(n).toBe(rows.filter((r) => r.kind === kind && r.state === state).length);
    }
    const { rows: invitations } = await services.target.raw('SELECT count(*)::int AS n FROM migration.invitations');
    expect(Object.values(status.invitations).reduce((a, b) => a + b, 0)).toBe(invitations[0].n);
    expect(Object.keys(status.invitations)).toEqual(['open', 'sent', 'expired', 'accepted', 'revoked', 'superseded']);
    await expect(readStatus(services, 'nope')).rejects.toThrow(UsageError);

    // The same document from the command line, and its usage errors (exit 2).
    const saved = { ...process.env };
    Object.assign(process.env, env);
    const written: string[] = [];
    const errors: string[] = [];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      errors.push(String(chunk));
      return true;
    });
    try {
      expect(await main(['node', 'ppm', 'status', 'w', '--json'])).toBe(0);
      expect(JSON.parse(written.join(''))).toEqual(JSON.parse(JSON.stringify(await readStatus(services, 'w'))));
      written.length = 0;
      expect(await main(['node', 'ppm', 'status'])).toBe(0);
      expect(written.join('')).toMatch(/^wave +status +planned/m);
      expect(written.join('')).toContain('superseded');
      written.length = 0;
      expect(await main(['node', 'ppm', 'notify', 'retry', '--kind', 'fax'])).toBe(2);
      expect(errors.join('')).toMatch(/unknown effect kind "fax"; the kinds are portal-mode, /);
      written.length = 0;
      expect(await main(['node', 'ppm', 'notify', 'retry', '--wave', 'w'])).toBe(0);
      expect(written.join('')).toContain('no failed effect matched');
      written.length = 0;
      expect(await main(['node', 'ppm', 'invitations', 'resend'])).toBe(2);
      expect(errors.join('')).toContain('give exactly one of --account-user <id> or --partner <id>');
      written.length = 0;
      expect(await main(['node', 'ppm', 'status', 'nope'])).toBe(2);
      expect(errors.join('')).toContain('no wave named "nope"');
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      for (const key of Object.keys(env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});
