/**
 * Time left of a job measured in two kinds of work at once: rows (the cost that grows with a
 * partner's size) and partners (the cost every partner pays whatever its size: queue round
 * trips, transactions, verification statements). A wave does its big partners first and its
 * long tail last, so a rate of rows alone says "seconds" when minutes of small partners are
 * left, and a rate of partners alone says the opposite early on.
 *
 * Each sample is the cumulative work done at a moment; the estimator fits
 * `time = start + perRow * rows + perPartner * partners` by least squares over the samples (both
 * costs non-negative), and gives the fitted cost of the work that is left, plus the caller's
 * estimate of what follows the last job (a wave's report). While
 * the samples cannot tell the two costs apart (all of them moved in step), the one-variable fit
 * that explains the samples better is used.
 */
export interface EtaSample {
  /** Milliseconds since any fixed origin. */
  atMs: number;
  rows: number;
  partners: number;
}

export interface EtaTotals {
  rows: number;
  partners: number;
}

interface Fit {
  perRow: number;
  perPartner: number;
}

/** Samples older than this many are thinned: every other one is dropped, so memory stays bounded. */
const MAX_SAMPLES = 512;

export class EtaEstimator {
  private readonly samples: EtaSample[] = [];
  private origin: EtaSample | undefined;

  /** Records the work done at `sample.atMs`. Samples must come in time order. */
  add(sample: EtaSample): void {
    if (!this.origin) {
      this.origin = sample;
      return;
    }
    const last = this.samples[this.samples.length - 1];
    if (last && last.rows === sample.rows && last.partners === sample.partners) {
      // Nothing moved: the newest sample stands for the whole pause.
      this.samples[this.samples.length - 1] = sample;
      return;
    }
    this.samples.push(sample);
    if (this.samples.length > MAX_SAMPLES) {
      const kept = this.samples.filter((_, index) => index % 2 === 1 || index === this.samples.length - 1);
      this.samples.splice(0, this.samples.length, ...kept);
    }
  }

  /**
   * Milliseconds left for the work up to `totals` and `afterMs` more once it is done, or
   * undefined while there is nothing to go on.
   */
  remainingMs(totals: EtaTotals, afterMs = 0): number | undefined {
    const fit = this.fit();
    const latest = this.samples[this.samples.length - 1];
    if (!fit || !latest) return undefined;
    const rowsLeft = Math.max(0, totals.rows - latest.rows);
    const partnersLeft = Math.max(0, totals.partners - latest.partners);
    return Math.max(0, Math.round(fit.perRow * rowsLeft + fit.perPartner * partnersLeft + afterMs));
  }

  private fit(): Fit | undefined {
    const origin = this.origin;
    if (!origin || this.samples.length < 2) return undefined;
    // A least-squares line with an intercept: the marginal costs of rows and partners, whatever
    // the start cost (planning, the first jobs warming up) before the first samples.
    const points = [origin, ...this.samples];
    const n = points.length;
    const mean = points.reduce(
      (sum, s) => ({ t: sum.t + s.atMs / n, r: sum.r + s.rows / n, p: sum.p + s.partners / n }),
      { t: 0, r: 0, p: 0 },
    );
    let srr = 0;
    let spp = 0;
    let srp = 0;
    let str = 0;
    let stp = 0;
    for (const sample of points) {
      const r = sample.rows - mean.r;
      const p = sample.partners - mean.p;
      const t = sample.atMs - mean.t;
      srr += r * r;
      spp += p * p;
      srp += r * p;
      str += t * r;
      stp += t * p;
    }
    const det = srr * spp - srp * srp;
    // Both costs only when the samples tell them apart (not collinear, up to rounding).
    if (det > 1e-9 * srr * spp) {
      const perRow = (str * spp - stp * srp) / det;
      const perPartner = (stp * srr - str * srp) / det;
      if (perRow >= 0 && perPartner >= 0) return { perRow, perPartner };
    }
    const candidates: Fit[] = [];
    if (srr > 0) candidates.push({ perRow: Math.max(0, str / srr), perPartner: 0 });
    if (spp > 0) candidates.push({ perRow: 0, perPartner: Math.max(0, stp / spp) });
    if (candidates.length === 0) return undefined;
    const residual = (fit: Fit) => {
      const predict = (s: EtaSample) => fit.perRow * (s.rows - mean.r) + fit.perPartner * (s.partners - mean.p);
      return points.reduce((sum, s) => sum + (s.atMs - mean.t - predict(s)) ** 2, 0);
    };
    return candidates.reduce((best, fit) => (residual(fit) < residual(best) ? fit : best));
  }
}
