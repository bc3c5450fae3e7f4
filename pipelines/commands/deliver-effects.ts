import { countOpenEffects, type OpenEffects } from '../../src/notify';
import type { Services } from '../services';

export interface AwaitEffectsOptions {
  /** How often to look, in ms (default 500). */
  intervalMs?: number;
  /** Called at each look. */
  onProgress?: (effects: OpenEffects) => void;
}

/**
 * Waits until none of the wave's effects that are due now is left to perform: each is done,
 * failed (after its last attempt), or held behind a failed one. Effects due later (webinar
 * invitations) are not waited for. The workers doing them may be in this process or others.
 */
export async function awaitWaveEffects(
  services: Services,
  waveId: number,
  options: AwaitEffectsOptions = {},
): Promise<OpenEffects> {
  for (;;) {
    const effects = await countOpenEffects(services.target, waveId);
    options.onProgress?.(effects);
    if (effects.open === 0) return effects;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
  }
}
