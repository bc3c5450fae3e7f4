import { UsageError } from '../../src/core/errors';
import { findWave } from '../../src/load';
import { MESSAGE_KINDS, retryFailedEvents, type EffectKind } from '../../src/notify';
import type { Services } from '../services';

/** Every kind of outbox effect: the legacy `PortalMode` write and each message. */
export const EFFECT_KINDS: readonly EffectKind[] = ['portal-mode', ...MESSAGE_KINDS];

export interface RetrySelection {
  /** Only effects of this kind. */
  kind?: string;
  /** Only effects of this legacy partner. */
  partnerId?: number;
  /** Only effects recorded by this wave. */
  waveName?: string;
}

/** The effect kind a user typed, or a UsageError listing the kinds. */
export function parseEffectKind(kind: string): EffectKind {
  const found = EFFECT_KINDS.find((known) => known === kind);
  if (!found) throw new UsageError(`unknown effect kind "${kind}"; the kinds are ${EFFECT_KINDS.join(', ')}`);
  return found;
}

/**
 * Puts the failed outbox rows that match back to `pending`, for the relay to hand them to their
 * queues again; returns how many. `attempts` and `last_error` are kept: the reason stays visible
 * until the next attempt replaces it, and a row with attempts made tells the relay that its old
 * failed job (kept a week under the same job id) must be removed before the new one is added.
 * Only rows still `failed` are touched, so a repeat re-queues nothing more.
 */
export async function retryFailedEffects(services: Services, selection: RetrySelection = {}): Promise<number> {
  const { target } = services;
  const kind = selection.kind === undefined ? undefined : parseEffectKind(selection.kind);
  let waveId: number | undefined;
  if (selection.waveName !== undefined) {
    const wave = await findWave(target, selection.waveName);
    if (!wave) throw new UsageError(`no wave named "${selection.waveName}"`);
    waveId = wave.id;
  }
  return retryFailedEvents(target, { kind, partnerId: selection.partnerId, waveId });
}
