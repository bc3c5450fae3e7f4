import { startEffectRuntime } from '../jobs/effect-runtime';
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

/**
 * Records a wave's effects (`record`: announce or cutover, which write the outbox) and waits for
 * those due now to be performed: by effect workers of this process (`localWorkers`, default
 * true) or by those of `ppm worker` processes.
 */
export async function recordAndAwaitEffects<T>(
  services: Services,
  waveId: number,
  record: () => Promise<T>,
  options: AwaitEffectsOptions & { localWorkers?: boolean } = {},
): Promise<{ recorded: T; effects: OpenEffects }> {
  const runtime = options.localWorkers !== false ? startEffectRuntime(services) : undefined;
  try {
    const recorded = await record();
    await runtime?.relayNow();
    return { recorded, effects: await awaitWaveEffects(services, waveId, options) };
  } finally {
    await runtime?.close();
  }
}
