import { UsageError } from '../../src/core/errors';
import { findWave, readLatestReport, readReports } from '../../src/load';
import {
  renderCsv,
  renderHtml,
  renderJson,
  renderMarkdown,
  redactReport,
  reportSchema,
  verifyChain,
  type ChainVerdict,
  type ReportFormat,
} from '../../src/verify';
import type { Services } from '../services';

export interface RenderReportOptions {
  /**
   * Show personal values (e-mail addresses, names, created_by) as sealed. Without it they are
   * redacted: masked, with a short hash keyed by the report's seal, so differences still show.
   */
  reveal?: boolean;
}

/** The latest sealed report of a wave, rendered (personal values redacted unless `reveal`). */
export async function renderWaveReport(
  services: Services,
  waveName: string,
  format: ReportFormat,
  options: RenderReportOptions = {},
): Promise<string> {
  const wave = await findWave(services.target, waveName);
  if (!wave) throw new UsageError(`no wave named "${waveName}"`);
  const stored = await readLatestReport(services.target, wave.id);
  if (!stored) throw new UsageError(`wave "${waveName}" has no report yet; run \`ppm verify ${waveName}\``);
  const sealed = reportSchema.parse(stored.body);
  const report = options.reveal ? sealed : redactReport(sealed, stored.sha256);
  switch (format) {
    case 'md':
      return renderMarkdown(report, stored.sha256);
    case 'html':
      return renderHtml(report, stored.sha256);
    case 'csv':
      return renderCsv(report);
    default:
      return renderJson(report, stored.sha256);
  }
}

/** Recomputes the hash chain of every sealed report. */
export async function verifyReportChain(services: Services): Promise<ChainVerdict> {
  return verifyChain(await readReports(services.target));
}
