import { htmlTable, Raw, renderReportBody, type ReportView } from '../../verify';
import { escape, page, pager, utc, type PageContext } from '../layout';
import type { ReportListRow } from '../sql/read-reports';

/** What the chain check found: every report intact, or the first one altered or removed. */
export type ChainStatus = { ok: true; reports: number } | { ok: false; reportId: string; problem: string };

export function renderReportsPage(
  ctx: PageContext,
  list: { rows: ReportListRow[]; total: number },
  chain: ChainStatus,
  view: { page: number; pageSize: number },
): string {
  const banner = chain.ok
    ? `<p class="notice" id="chain">Hash chain intact: ${chain.reports} sealed report(s), each sha256 recomputed from its body.</p>`
    : `<p class="error" id="chain">Hash chain broken at report ${escape(chain.reportId)}: ${escape(chain.problem)}</p>`;
  const brokenAt = chain.ok ? undefined : BigInt(chain.reportId);
  const rows = list.rows.map((r) => {
    const sealed = brokenAt === undefined || BigInt(r.id) < brokenAt;
    return [
      new Raw(`<a href="/reports/${r.id}">${r.id}</a>`),
      r.wave ?? '–',
      `${r.runKind} ${r.runId}`,
      utc(r.createdAt),
      new Raw(r.verdict === 'pass' ? '<span class="pass">PASS</span>' : '<span class="fail">FAIL</span>'),
      `${r.partnersPassed} of ${r.partners}`,
      new Raw(`<code title="${escape(r.sha256)}">${escape(r.sha256.slice(0, 12))}</code>`),
      new Raw(
        !r.linked
          ? '<span class="fail">does not link to the report before</span>'
          : !sealed
            ? `<span class="fail">${BigInt(r.id) === brokenAt ? 'altered or removed here' : 'after the break'}</span>`
            : '<span class="pass">intact</span>',
      ),
    ];
  });
  return page(
    ctx,
    'Reports',
    `<h1>Sealed reports (${list.total})</h1>${banner}` +
      pager('/reports', {}, view.page, Math.ceil(list.total / view.pageSize)) +
      htmlTable(
        ['report', 'wave', 'run', 'sealed', 'verdict', 'partners verified', 'sha256', 'chain'],
        rows,
        'reports',
      ),
  );
}

export function renderReportPage(ctx: PageContext, reportId: string, view: ReportView): string {
  const downloads = `<p class="muted">Download: <a href="/reports/${reportId}/report.html">HTML</a> · <a href="/reports/${reportId}/report.csv">CSV</a> (personal values redacted)</p>`;
  return page(ctx, `Report ${reportId}`, renderReportBody(view, { partner: (id) => `/partners/${id}` }) + downloads);
}
