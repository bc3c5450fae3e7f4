import type { Config } from '../core/config';
import type { OpenEffects } from '../notify';
import { describeTransport } from '../../pipelines/jobs/effect-runtime';

/** One line on a wave's effects: performed, failed (with where to look), held behind a failure, due later. */
export function describeEffects(effects: OpenEffects, config: Config): string {
  const parts = [`${effects.done} effect(s) performed`];
  if (effects.failed > 0)
    parts.push(`${effects.failed} failed (\`ppm status\` names them, \`ppm notify retry\` re-queues them)`);
  if (effects.held > 0) parts.push(`${effects.held} held behind a failed one`);
  if (effects.later > 0) parts.push(`${effects.later} due later (webinar invitations)`);
  return `${parts.join(', ')}; messages went to ${describeTransport(config)}`;
}

/** What `wave run` or `wave cutover` did at cutover. */
export function describeCutover(
  cutover: { partners: number; closed: number; effects: OpenEffects },
  config: Config,
): string {
  const closed = cutover.closed > 0 ? ` (${cutover.closed} closed: archive mode only)` : '';
  return `cutover: ${cutover.partners} partner(s) cut over${closed}; ${describeEffects(cutover.effects, config)}`;
}
