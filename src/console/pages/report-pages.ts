import { htmlTable, Raw, renderReportBody, type ReportView } from '../../verify';
import { escape, page, pager, utc, type PageContext } from '../layout';
import type { ReportListRow } from '../sql/read-reports';

/** What the chain check found: every report intact, or the first one altered or removed. */
export type ChainStatus = { ok: true; reports: number } | { ok: false; reportId: string; problem: string };

/** The chain's banner: intact, broken where, or still being checked. */
export function chainBanner(chain: ChainStatus | undefined): string {
  if (!chain)
    return '<p class="notice" id="chain" data-checking="1">Checking the hash chain: every report\'s sha256 is being recomputed from its body…</p>';
  return chain.ok
    ? `<p class="notice" id="chain">Hash chain intact: ${chain.reports} sealed report(s), each sha256 recomputed from its body.</p>`
    : `<p class="error" id="chain">Hash chain broken at report ${escape(chain.reportId)}: ${escape(chain.problem)}</p>`;
}

/** Asks for the chain's verdict while it is being checked, then shows it. */
const CHAIN_SCRIPT = `
(function(){
  var banner=document.getElementById('chain');if(!banner||!banner.getAttribute('data-checking'))return;
  fetch('/reports/chain',{credentials:'same-origin'}).then(function(r){return r.json();}).then(function(c){
    banner.removeAttribute('data-checking');
    if(c.ok){banner.textContent='Hash chain intact: '+c.reports+' sealed report(s), each sha256 recomputed from its body.';}
    else{banner.className='error';banner.textContent='Hash chain broken at report '+c.reportId+': '+c.problem;}
  });
})();`;

export function renderReportsPage(
  ctx: PageContext,
  list: { rows: ReportListRow[]; total: number },
  chain: ChainStatus | undefined,
  view: { page: number; pageSize: number },
): string {
  const banner = chainBanner(chain);
  const brokenAt = chain === undefined || chain.ok ? undefined : BigInt(chain.reportId);
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
          : chain === undefined
            ? '<span class="muted">links to the report before; seal being checked</span>'
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
    CHAIN_SCRIPT,
  );
}

/** The report's content, rendered once per version of the report (the console keeps it). */
export function renderReportContent(view: ReportView): string {
  return renderReportBody(view, { partner: (id) => `/partners/${id}` });
}

export function renderReportPage(ctx: PageContext, reportId: string, content: string): string {
  const downloads = `<p class="muted">Download: <a href="/reports/${reportId}/report.html">HTML</a> · <a href="/reports/${reportId}/report.csv">CSV</a> (personal values redacted)</p>`;
  return page(ctx, `Report ${reportId}`, content + downloads);
}
