import { UsageError } from '../../src/core/errors';
import { findWave, readLatestReport, readReports } from '../../src/load';
import {
  renderCsv,
  renderHtml,
  renderJson,
  renderMarkdown,
  reportSchema,
  verifyChain,
  type ChainVerdict,
  type ReportFormat,
} from '../../src/verify';
import type { Services } from '../services';

/** The latest sealed report of a wave, rendered. */
export async function renderWaveReport(services: Services, waveName: string, format: ReportFormat): Promise<string> {
  const wave = await findWave(services.target, waveName);
  if (!wave) throw new UsageError(`no wave named "${waveName}"`);
  const stored = await readLatestReport(services.target, wave.id);
  if (!stored) throw new UsageError(`wave "${waveName}" has no report yet; run \`ppm verify ${waveName}\``);
  const report = reportSchema.parse(stored.body);
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
