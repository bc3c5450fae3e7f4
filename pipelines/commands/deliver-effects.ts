import { startEffectRuntime } from '../jobs/effect-runtime';
import { countOpenEffects, type OpenEffects } from '../../src/notify';
import type { Services } from '../services';

export interface AwaitEffectsOptions {
  /** How often to look, in ms (default 500). */
  intervalMs?: number;
  /** How long the marketplace database may stay unreachable before the wait gives up, in ms (default OUTAGE_WAIT). */
  outageMs?: number;
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
  // The marketplace database going away for a while (a restart) is waited out, up to
  // `outageMs`: the workers resume once it is back; past that the error stands.
  let unreachableSince: number | undefined;
  for (;;) {
    let effects: OpenEffects;
    try {
      effects = await countOpenEffects(services.target, waveId);
      unreachableSince = undefined;
    } catch (error) {
      unreachableSince ??= Date.now();
      if (Date.now() - unreachableSince > (options.outageMs ?? services.config.OUTAGE_WAIT)) throw error;
      services.logger.warn(
        { err: error },
        'waiting for the marketplace database to answer again; the effects go on once it is back',
      );
      await new Promise((resolve) => setTimeout(resolve, 1000));
      continue;
    }
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
