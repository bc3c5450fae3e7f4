/**
 * How honest the wave's ETA was: every progress sample's `etaMs` against the time the wave
 * actually still took from that moment, over the samples between 20 % and 90 % of the wave's wall
 * time (before, the estimate has little to go on; after, the time left is too short for a ratio
 * to mean much).
 */

export interface EtaSampleRecord {
  /** Milliseconds since the wave started (just before runWave was called). */
  elapsedMs: number;
  rows: number;
  rowsTotal: number;
  partnersDone: number;
  etaMs?: number;
}

export interface EtaErrorSummary {
  /** Samples in the window. */
  samples: number;
  /** Samples in the window whose progress gave no ETA. */
  withoutEta: number;
  /** Median of |etaMs - actual| / actual over the window's samples with an ETA; undefined when none. */
  medianError?: number;
  /** The signed error (etaMs - actual) / actual of largest size; negative: the ETA said less time than was left. */
  worstError?: number;
  /** Elapsed ms of the worst sample. */
  worstAtMs?: number;
}

export const ETA_WINDOW = { from: 0.2, to: 0.9 };

export function etaError(samples: readonly EtaSampleRecord[], waveMs: number): EtaErrorSummary {
  const window = samples.filter(
    (sample) => sample.elapsedMs >= ETA_WINDOW.from * waveMs && sample.elapsedMs <= ETA_WINDOW.to * waveMs,
  );
  const errors: { error: number; atMs: number }[] = [];
  let withoutEta = 0;
  for (const sample of window) {
    if (sample.etaMs === undefined) {
      withoutEta++;
      continue;
    }
    const actual = waveMs - sample.elapsedMs;
    errors.push({ error: (sample.etaMs - actual) / actual, atMs: sample.elapsedMs });
  }
  if (errors.length === 0) return { samples: window.length, withoutEta };
  const sizes = errors.map((e) => Math.abs(e.error)).sort((a, b) => a - b);
  const middle = Math.floor(sizes.length / 2);
  const medianError = sizes.length % 2 === 1 ? sizes[middle] : (sizes[middle - 1] + sizes[middle]) / 2;
  const worst = errors.reduce((a, b) => (Math.abs(b.error) > Math.abs(a.error) ? b : a));
  return { samples: window.length, withoutEta, medianError, worstError: worst.error, worstAtMs: worst.atMs };
}
