import type { Knex } from 'knex';
import { UsageError } from '../../src/core/errors';
import { findWave, listWavePartners, settleCutoverPartners, withLoadTransaction } from '../../src/load';
import {
  eventKeys,
  insertOutboxEvents,
  type MessageKind,
  type MessagePayload,
  type OutboxEvent,
} from '../../src/notify';
import type { Services } from '../services';
import { languageOfCountry } from './partner-language';

export interface CutoverResult {
  /** Partners moved from `verified` to `cutover` by this call. */
  cutover: number;
  /** Of those, closed partners (archive mode only, no message). */
  closed: number;
  /** Effects recorded in the outbox by this call. */
  effects: number;
}

interface AccountOfPartner {
  legacy_partner_id: number;
  account_id: string;
  name: string;
  mpn_id: string | null;
  country: string | null;
}

interface MemberOfAccount {
  account_id: string;
  account_user_id: string;
  legacy_user_id: number;
  group_name: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
}

/** Partners cut over per transaction. */
const CHUNK = 200;

async function readAccounts(db: Knex, partnerIds: number[]): Promise<Map<number, AccountOfPartner>> {
  const { rows } = await db.raw<{ rows: AccountOfPartner[] }>(
    `SELECT a.legacy_partner_id, a.id AS account_id, a.name, a.mpn_id, b.country
       FROM marketplace.accounts a
       LEFT JOIN marketplace.buyers b ON b.account_id = a.id
      WHERE a.legacy_partner_id = ANY(?::int[])`,
    [partnerIds],
  );
  return new Map(rows.map((row) => [Number(row.legacy_partner_id), row]));
}

async function readMembers(db: Knex, accountIds: string[]): Promise<MemberOfAccount[]> {
  const { rows } = await db.raw<{ rows: MemberOfAccount[] }>(
    `SELECT au.account_id, au.id AS account_user_id, au.legacy_user_id, au.group_name,
            u.email, u.first_name, u.last_name
       FROM marketplace.account_users au
       JOIN marketplace.users u ON u.id = au.user_id
      WHERE au.account_id = ANY(?::text[])
      ORDER BY au.legacy_user_id`,
    [accountIds],
  );
  return rows;
}

/** Those of the partners the load skipped as closed (a quarantined partner has no account either, but is left alone). */
async function readClosedPartners(db: Knex, partnerIds: number[]): Promise<Set<number>> {
  const rows: Array<{ legacy_key: string }> = await db('migration.skipped')
    .select('legacy_key')
    .where({ entity: 'partner', reason: 'partner_closed' })
    .whereNull('resolved_at')
    .whereIn(
      'legacy_key',
      partnerIds.map((id) => String(id)),
    );
  return new Set(rows.map((row) => Number(row.legacy_key)));
}

/** Those of the partners whose announcement banner is in the outbox. */
async function readAnnouncedPartners(db: Knex, partnerIds: number[]): Promise<Set<number>> {
  const keys = partnerIds.map((partnerId) => eventKeys.portalMode(partnerId, 'MigrationScheduled'));
  const rows = await db('migration.outbox').select('legacy_partner_id').whereIn('event_key', keys);
  return new Set(rows.map((row: { legacy_partner_id: number }) => Number(row.legacy_partner_id)));
}

/**
 * The cutover effects of one migrated partner, in the order they must happen: `Migrated` (after
 * the announcement's banner when there was one), the
 * `account-migrated` e-mails one after another, then `Archive`; each account user's invitation
 * and the administrators' CSP enrolment instructions after `Migrated`; the webinar invitations
 * after `Archive`, not before `webinarAt`.
 */
export function cutoverEvents(
  account: AccountOfPartner,
  members: MemberOfAccount[],
  waveId: number,
  webinarAt: Date,
  announced: boolean,
): OutboxEvent[] {
  const partnerId = Number(account.legacy_partner_id);
  const base = { partnerId, waveId };
  const migrated = eventKeys.portalMode(partnerId, 'Migrated');
  const archive = eventKeys.portalMode(partnerId, 'Archive');
  const events: OutboxEvent[] = [
    {
      ...base,
      eventKey: migrated,
      kind: 'portal-mode',
      queue: 'portal',
      // After the announcement's banner, or a late banner would hide the migration.
      ...(announced ? { afterEventKey: eventKeys.portalMode(partnerId, 'MigrationScheduled') } : {}),
      payload: { v: 1, eventKey: migrated, partnerId, mode: 'Migrated' },
    },
  ];
  const message = (kind: MessageKind, eventKey: string, member: MemberOfAccount): MessagePayload => ({
    v: 1,
    eventKey,
    kind,
    partnerId,
    partnerName: account.name,
    accountId: account.account_id,
    mpnId: account.mpn_id,
    language: languageOfCountry(account.country),
    legacyUserId: Number(member.legacy_user_id),
    accountUserId: kind === 'invitation' ? member.account_user_id : null,
    recipient: { email: member.email, firstName: member.first_name ?? '', lastName: member.last_name ?? '' },
  });
  let previous = migrated;
  for (const member of members) {
    const eventKey = eventKeys.accountMigrated(partnerId, Number(member.legacy_user_id));
    events.push({
      ...base,
      eventKey,
      kind: 'account-migrated',
      queue: 'notifications',
      afterEventKey: previous,
      payload: message('account-migrated', eventKey, member),
    });
    previous = eventKey;
  }
  events.push({
    ...base,
    eventKey: archive,
    kind: 'portal-mode',
    queue: 'portal',
    afterEventKey: previous,
    payload: { v: 1, eventKey: archive, partnerId, mode: 'Archive' },
  });
  for (const member of members) {
    const invitation = eventKeys.invitation(member.account_user_id);
    events.push({
      ...base,
      eventKey: invitation,
      kind: 'invitation',
      queue: 'invitations',
      afterEventKey: migrated,
      payload: message('invitation', invitation, member),
    });
    if (member.group_name === 'Administrators') {
      const csp = eventKeys.cspEnrollment(partnerId, Number(member.legacy_user_id));
      events.push({
        ...base,
        eventKey: csp,
        kind: 'csp-enrollment',
        queue: 'notifications',
        afterEventKey: migrated,
        payload: message('csp-enrollment', csp, member),
      });
    }
    const webinar = eventKeys.webinarInvitation(partnerId, Number(member.legacy_user_id));
    events.push({
      ...base,
      eventKey: webinar,
      kind: 'webinar-invitation',
      queue: 'notifications',
      afterEventKey: archive,
      notBefore: webinarAt,
      payload: message('webinar-invitation', webinar, member),
    });
  }
  return events;
}

/**
 * Cuts over the verified partners of a wave (or those of `partnerIds`): their effects recorded in
 * the outbox in the transaction that moves them to `cutover`. A closed partner (no account)
 * gets archive mode only; a quarantined one (no account either) nothing, and stays `verified`. A partner that is not `verified` is never cut over; one already cut
 * over is left alone, so a repeat records nothing more.
 */
export async function cutoverWave(
  services: Services,
  waveName: string,
  options: { partnerIds?: number[]; now?: Date } = {},
): Promise<CutoverResult> {
  const { target, config } = services;
  const wave = await findWave(target, waveName);
  if (!wave) throw new UsageError(`no wave named "${waveName}"`);
  const wanted = options.partnerIds ? new Set(options.partnerIds) : undefined;
  const verified = (await listWavePartners(target, wave.id))
    .filter((partner) => partner.state === 'verified' && (!wanted || wanted.has(partner.legacy_partner_id)))
    .map((partner) => partner.legacy_partner_id);
  const result: CutoverResult = { cutover: 0, closed: 0, effects: 0 };
  const webinarAt = new Date((options.now ?? new Date()).getTime() + config.WEBINAR_DELAY);
  for (let start = 0; start < verified.length; start += CHUNK) {
    const ids = verified.slice(start, start + CHUNK);
    const accounts = await readAccounts(target, ids);
    const members = await readMembers(
      target,
      [...accounts.values()].map((account) => account.account_id),
    );
    const announced = await readAnnouncedPartners(target, ids);
    const closed = await readClosedPartners(target, ids);
    const events: OutboxEvent[] = [];
    const cutIds: number[] = [];
    for (const partnerId of ids) {
      const account = accounts.get(partnerId);
      // A quarantined partner (no account, not closed): nothing at all, its portal stays as it is.
      if (!account && !closed.has(partnerId)) continue;
      cutIds.push(partnerId);
      if (!account) {
        const archive = eventKeys.portalMode(partnerId, 'Archive');
        events.push({
          eventKey: archive,
          kind: 'portal-mode',
          queue: 'portal',
          partnerId,
          waveId: wave.id,
          ...(announced.has(partnerId) ? { afterEventKey: eventKeys.portalMode(partnerId, 'MigrationScheduled') } : {}),
          payload: { v: 1, eventKey: archive, partnerId, mode: 'Archive' },
        });
        result.closed += 1;
        continue;
      }
      events.push(
        ...cutoverEvents(
          account,
          members.filter((m) => m.account_id === account.account_id),
          wave.id,
          webinarAt,
          announced.has(partnerId),
        ),
      );
    }
    await withLoadTransaction(target, async (trx) => {
      result.effects += await insertOutboxEvents(trx, events);
      const moved = await trx('migration.wave_partners')
        .update({ state: 'cutover' })
        .where({ wave_id: String(wave.id), state: 'verified' })
        .whereIn('legacy_partner_id', cutIds)
        .returning('legacy_partner_id');
      result.cutover += moved.length;
      // A partner whose effects were all performed before (a rerun of a finished wave) is done at once.
      await settleCutoverPartners(trx, cutIds);
    });
  }
  return result;
}
