import type { Run, Wave, WavePartner } from './load-records';

/** pg hands bigint columns out as text: wave ids become numbers here, run ids stay text. */

export function toWave(row: Wave & { id: string | number }): Wave {
  return { ...pick(row, ['id', 'name', 'status', 'planned_at', 'started_at', 'finished_at']), id: Number(row.id) };
}

export function toWavePartner(row: WavePartner & { wave_id: string | number }): WavePartner {
  return {
    ...pick(row, [
      'legacy_partner_id',
      'state',
      'failure_reason',
      'watermark',
      'planned_at',
      'notified_at',
      'loading_at',
      'loaded_at',
      'verified_at',
      'cutover_at',
      'done_at',
      'failed_at',
    ]),
    wave_id: Number(row.wave_id),
  };
}

export function toRun(row: Run & { wave_id: string | number | null }): Run {
  return {
    ...pick(row, ['id', 'kind', 'status', 'started_at', 'finished_at', 'watermark', 'counts', 'error']),
    wave_id: row.wave_id === null ? null : Number(row.wave_id),
  };
}

function pick<Row extends object, Key extends keyof Row>(row: Row, keys: ReadonlyArray<Key>): Pick<Row, Key> {
  const picked = {} as Pick<Row, Key>;
  for (const key of keys) picked[key] = row[key];
  return picked;
}
