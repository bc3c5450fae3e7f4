import { UsageError } from '../../src/core/errors';
import { redactText } from '../../src/core/redact';
import { findWave, PARTNER_STATES, readFailedPartners, readWavePartnerCounts, type PartnerState } from '../../src/load';
import { readFailedEvents, readInvitationCounts, readOutboxCounts } from '../../src/notify';
import type { Services } from '../services';
import { EFFECT_KINDS } from './notify-retry';
import { readSyncStatus, type SyncStatus } from './sync-status';

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
  /** The nightly sync: last run, schedule, missed run, stalled watermark. */
  sync: SyncStatus;
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

  const waveRows = await readWavePartnerCounts(target, { waveId });
  const waves = new Map<string, WaveStatus>();
  for (const row of waveRows) {
    let entry = waves.get(row.wave);
    if (!entry) {
      entry = { name: row.wave, status: row.status, partners: zeros(PARTNER_STATES), total: 0 };
      waves.set(row.wave, entry);
    }
    if (row.state === null) continue;
    entry.partners[row.state as PartnerState] = (entry.partners[row.state as PartnerState] ?? 0) + row.count;
    entry.total += row.count;
  }

  const outbox: OperatorStatus['outbox'] = {};
  for (const kind of EFFECT_KINDS) outbox[kind] = zeros(OUTBOX_STATES);
  for (const count of await readOutboxCounts(target, { waveId })) {
    outbox[count.kind] ??= zeros(OUTBOX_STATES);
    outbox[count.kind]![count.state as OutboxState] = count.count;
  }

  const failedPartners = await readFailedPartners(target, { waveId });
  const failedEffects = await readFailedEvents(target, { waveId });
  const failures: StatusFailure[] = [
    ...failedPartners.map((row) => ({
      partnerId: row.partnerId,
      kind: 'partner',
      eventKey: null,
      reason: redactText(row.reason ?? 'unknown reason'),
    })),
    ...failedEffects.map((row) => ({
      partnerId: row.partnerId,
      kind: row.kind,
      eventKey: row.eventKey,
      reason: redactText(row.reason ?? 'unknown reason'),
    })),
  ].sort((a, b) => a.partnerId - b.partnerId || Number(a.kind !== 'partner') - Number(b.kind !== 'partner'));

  const invitationRows = await readInvitationCounts(target, { waveId });
  const invitations = zeros(INVITATION_STATUSES);
  for (const row of invitationRows) invitations[row.status as InvitationStatus] = row.count;

  const sync = await readSyncStatus(services);
  return { wave: waveName ?? null, waves: [...waves.values()], outbox, failures, invitations, sync };
}
