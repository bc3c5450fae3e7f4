import { ENTITIES } from '../core/legacy-model';
import type { WaveRunResult } from '../../pipelines/commands/wave-run';
import { renderTable } from './table';

/** The per-entity table that ends a wave run. */
export function renderWaveSummary(result: WaveRunResult): string {
  const rows = ENTITIES.filter((entity) => result.counts[entity]).map((entity) => {
    const counts = result.counts[entity]!;
    return [entity, counts.extracted, counts.loaded, counts.quarantined, counts.skipped];
  });
  return renderTable(['entity', 'extracted', 'loaded', 'quarantined', 'skipped'], rows);
}
