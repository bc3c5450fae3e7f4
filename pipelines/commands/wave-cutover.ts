import { UsageError } from '../../src/core/errors';
import {
  findWave,
  listWavePartners,
  movePartners,
  readClosedPartners,
  settleCutoverPartners,
  withLoadTransaction,
} from '../../src/load';
import {
  eventKeys,
  insertOutboxEvents,
  readAnnouncedPartners,
  readCutoverAccounts,
  readCutoverMembers,
  type AccountOfPartner,
  type MemberOfAccount,
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

/** Partners cut over per transaction. */
const CHUNK = 200;

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
    const accounts = await readCutoverAccounts(target, ids);
    const members = await readCutoverMembers(
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
      const moved = await movePartners(trx, wave.id, cutIds, 'verified', 'cutover');
      result.cutover += moved.length;
      // A partner whose effects were all performed before (a rerun of a finished wave) is done at once.
      await settleCutoverPartners(trx, cutIds);
    });
  }
  return result;
}
