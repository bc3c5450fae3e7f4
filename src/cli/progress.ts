import { SingleBar, Presets } from 'cli-progress';

export interface ProgressSnapshot {
  value: number;
  total: number;
  /** Extra fields shown beside the bar and written into progress lines. */
  fields?: Record<string, string | number>;
  /** Milliseconds left as the caller estimates them; default the time at the average rate of `value` so far. */
  etaMs?: number;
}

/** `1h 02m`, `3m 07s`, `12s`; `-` when unknown. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

export interface ProgressReporter {
  update(snapshot: ProgressSnapshot): void;
  stop(): void;
}

/**
 * A progress bar on a terminal; elsewhere (CI, a scheduler's log) one JSON line every
 * `intervalMs` on standard error, with rate and ETA, so logs stay machine-readable.
 */
export function createProgress(
  label: string,
  unit: string,
  stream: NodeJS.WriteStream = process.stderr,
  intervalMs = 5000,
): ProgressReporter {
  const started = Date.now();
  const rateOf = (value: number) => value / Math.max(0.001, (Date.now() - started) / 1000);
  const etaOf = ({ value, total, etaMs }: ProgressSnapshot): number | undefined => {
    if (etaMs !== undefined) return etaMs;
    const rate = rateOf(value);
    return rate > 0 ? (Math.max(0, total - value) / rate) * 1000 : undefined;
  };
  if (stream.isTTY) {
    const bar = new SingleBar(
      {
        stream,
        format: `${label} |{bar}| {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_text} {extra}`,
        hideCursor: true,
        etaBuffer: 50,
      },
      Presets.shades_classic,
    );
    let barStarted = false;
    return {
      update(snapshot) {
        const { value, total, fields } = snapshot;
        const extra = fields
          ? Object.entries(fields)
              .map(([key, val]) => `${key} ${val}`)
              .join(' | ')
          : '';
        const payload = { rate: Math.round(rateOf(value)), extra, eta_text: formatDuration(etaOf(snapshot)) };
        if (!barStarted) {
          bar.start(Math.max(total, 1), value, payload);
          barStarted = true;
        } else {
          bar.setTotal(Math.max(total, 1));
          bar.update(value, payload);
        }
      },
      stop() {
        if (barStarted) bar.stop();
        barStarted = false;
      },
    };
  }
  let lastLine = 0;
  let last: ProgressSnapshot | undefined;
  const write = (snapshot: ProgressSnapshot, final = false) => {
    const rate = rateOf(snapshot.value);
    const eta = final ? 0 : etaOf(snapshot);
    const line = {
      event: final ? 'progress_done' : 'progress',
      task: label,
      [unit]: snapshot.value,
      [`${unit}_total`]: snapshot.total,
      [`${unit}_per_s`]: Math.round(rate),
      eta_s: eta === undefined ? null : Math.round(eta / 1000),
      elapsed_s: Math.round((Date.now() - started) / 1000),
      ...snapshot.fields,
    };
    stream.write(`${JSON.stringify(line)}\n`);
  };
  return {
    update(snapshot) {
      last = snapshot;
      if (Date.now() - lastLine >= intervalMs) {
        lastLine = Date.now();
        write(snapshot);
      }
    },
    stop() {
      if (last) write(last, true);
      last = undefined;
    },
  };
}

/** A progress of done / total that also shows which database it is waiting for, while it waits. */
export interface WaitingProgress {
  onProgress(done: number, total: number): void;
  onWaiting(waiting: { name: string; downForMs: number } | undefined): void;
  stop(): void;
}

/** `reporter`, fed by a command's progress and outage callbacks: `waiting for the marketplace database ... (12s)`. */
export function progressWithWaiting(reporter: ProgressReporter): WaitingProgress {
  let last: ProgressSnapshot = { value: 0, total: 0 };
  return {
    onProgress(done, total) {
      last = { value: done, total };
      reporter.update(last);
    },
    onWaiting(waiting) {
      reporter.update(
        waiting ? { ...last, fields: { waiting_for: `${waiting.name} (${formatDuration(waiting.downForMs)})` } } : last,
      );
    },
    stop: () => reporter.stop(),
  };
}
