import { UsageError } from '../../src/core/errors';
import { redactText } from '../../src/core/redact';
import { findWave, PARTNER_STATES, type PartnerState } from '../../src/load';
import { readOutboxCounts } from '../../src/notify';
import type { Services } from '../services';
import { EFFECT_KINDS } from './notify-retry';

/** The states of an outbox row. */
export const OUTBOX_STATES = ['pending', 'enqueued', 'done', 'failed'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/**
 * What an invitation is now: `open` recorded but not sent yet (its token is recorded just before
 * the send; a resend's before that), `sent` and still valid, `expired`, `accepted`, `revoked` by
 * an operator, `superseded` by a resend (its token revoked too).
 */
export const INVITATION_STATUSES = ['open', 'sent', 'expired', 'accepted', 'revoked', 'superseded'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export interface WaveStatus {
  name: string;
  status: string;
  /** Partners of the wave in each lifecycle state (every state, 0 when none). */
  partners: Record<PartnerState, number>;
  total: number;
}

/** A failed partner (`kind: 'partner'`, no event key) or a failed outbox row, with its reason. */
export interface StatusFailure {
  partnerId: number;
  kind: string;
  eventKey: string | null;
  reason: string;
}

export interface OperatorStatus {
  /** The wave asked for, or null for all of them. */
  wave: string | null;
  waves: WaveStatus[];
  /** Outbox rows per kind (every effect kind, and any other recorded) and state. */
  outbox: Record<string, Record<OutboxState, number>>;
  failures: StatusFailure[];
  invitations: Record<InvitationStatus, number>;
}

const zeros = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

/**
 * The state of the migration, of one wave or of all: partners per lifecycle state, outbox rows
 * per kind and state, every failure with its reason, invitations per status. Reasons are
 * redacted (no e-mail address, no credentials), as everything an operator is shown.
 */
export async function readStatus(services: Services, waveName?: string): Promise<OperatorStatus> {
  const { target } = services;
  let waveId: number | undefined;
  if (waveName !== undefined) {
    const wave = await findWave(target, waveName);
    if (!wave) throw new UsageError(`no wave named "${waveName}"`);
    waveId = wave.id;
  }
  const wave = waveId ?? null;

  const { rows: waveRows } = await target.raw<{
    rows: Array<{ name: string; status: string; state: string | null; n: number }>;
  }>(
    `SELECT w.id, w.name, w.status, wp.state, count(wp.legacy_partner_id)::int AS n
       FROM migration.waves w
       LEFT JOIN migration.wave_partners wp ON wp.wave_id = w.id
      WHERE ?::bigint IS NULL OR w.id = ?::bigint
      GROUP BY w.id, w.name, w.status, wp.state
      ORDER BY w.id, wp.state`,
    [wave, wave],
  );
  const waves = new Map<string, WaveStatus>();
  for (const row of waveRows) {
    let entry = waves.get(row.name);
    if (!entry) {
      entry = { name: row.name, status: row.status, partners: zeros(PARTNER_STATES), total: 0 };
      waves.set(row.name, entry);
    }
    if (row.state === null) continue;
    entry.partners[row.state as PartnerState] = (entry.partners[row.state as PartnerState] ?? 0) + row.n;
    entry.total += row.n;
  }

  const outbox: OperatorStatus['outbox'] = {};
  for (const kind of EFFECT_KINDS) outbox[kind] = zeros(OUTBOX_STATES);
  for (const count of await readOutboxCounts(target, { waveId })) {
    outbox[count.kind] ??= zeros(OUTBOX_STATES);
    outbox[count.kind]![count.state as OutboxState] = count.count;
  }

  const { rows: failedPartners } = await target.raw<{
    rows: Array<{ legacy_partner_id: number; failure_reason: string | null }>;
  }>(
    `SELECT legacy_partner_id, failure_reason
       FROM migration.wave_partners
      WHERE state = 'failed' AND (?::bigint IS NULL OR wave_id = ?::bigint)
      ORDER BY legacy_partner_id, wave_id`,
    [wave, wave],
  );
  const { rows: failedEffects } = await target.raw<{
    rows: Array<{ legacy_partner_id: number | null; kind: string; event_key: string; last_error: string | null }>;
  }>(
    `SELECT legacy_partner_id, kind, event_key, last_error
       FROM migration.outbox
      WHERE state = 'failed' AND (?::bigint IS NULL OR wave_id = ?::bigint)
      ORDER BY legacy_partner_id, id`,
    [wave, wave],
  );
  const failures: StatusFailure[] = [
    ...failedPartners.map((row) => ({
      partnerId: Number(row.legacy_partner_id),
      kind: 'partner',
      eventKey: null,
      reason: redactText(row.failure_reason ?? 'unknown reason'),
    })),
    ...failedEffects.map((row) => ({
      partnerId: Number(row.legacy_partner_id),
      kind: row.kind,
      eventKey: row.event_key,
      reason: redactText(row.last_error ?? 'unknown reason'),
    })),
  ].sort((a, b) => a.partnerId - b.partnerId || Number(a.kind !== 'partner') - Number(b.kind !== 'partner'));

  const { rows: invitationRows } = await target.raw<{ rows: Array<{ status: InvitationStatus; n: number }> }>(
    `SELECT CASE WHEN accepted_at IS NOT NULL THEN 'accepted'
                 WHEN superseded_by IS NOT NULL THEN 'superseded'
                 WHEN revoked_at IS NOT NULL THEN 'revoked'
                 WHEN sent_at IS NULL THEN 'open'
                 WHEN expires_at <= now() THEN 'expired'
                 ELSE 'sent' END AS status,
            count(*)::int AS n
       FROM migration.invitations
      WHERE ?::bigint IS NULL
         OR legacy_partner_id IN (SELECT legacy_partner_id FROM migration.wave_partners WHERE wave_id = ?::bigint)
      GROUP BY 1`,
    [wave, wave],
  );
  const invitations = zeros(INVITATION_STATUSES);
  for (const row of invitationRows) invitations[row.status] = row.n;

  return { wave: waveName ?? null, waves: [...waves.values()], outbox, failures, invitations };
}
