import type { Report } from './report';

const escape = (text: unknown) =>
  String(text ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const CHECK_TITLES: Record<string, string> = {
  completeness: 'Completeness',
  archive_fidelity: 'Archive fidelity',
  mapping_fidelity: 'Mapping fidelity',
  integrity: 'Integrity',
};

function table(headers: string[], rows: unknown[][], className = ''): string {
  return (
    `<table class="${className}"><thead><tr>${headers.map((h) => `<th>${escape(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows
      .map(
        (row) => `<tr>${row.map((cell) => `<td>${cell instanceof Raw ? cell.html : escape(cell)}</td>`).join('')}</tr>`,
      )
      .join('') +
    '</tbody></table>'
  );
}

class Raw {
  constructor(readonly html: string) {}
}

/** Money per currency and month as grouped bars, legacy beside archive: inline SVG, one chart per currency. */
export function moneyChart(report: Report): string {
  const amounts = report.money.filter((m) => m.amount === 'total' || m.amount === 'gross');
  const currencies = [...new Set(amounts.map((m) => m.currency))].sort();
  const charts = currencies.map((currency) => {
    const cells = amounts.filter((m) => m.currency === currency && m.entity === 'order');
    const months = [...new Set(cells.map((m) => m.month))].sort();
    const value = (text: string | null) => Math.abs(Number(text ?? 0));
    const max = Math.max(1, ...cells.flatMap((m) => [value(m.legacy), value(m.target)]));
    const barWidth = 6;
    const width = Math.max(200, months.length * (barWidth * 2 + 4) + 60);
    const height = 160;
    const bars = months
      .map((month, index) => {
        const cell = cells.find((m) => m.month === month)!;
        const x = 50 + index * (barWidth * 2 + 4);
        const hl = (value(cell.legacy) / max) * (height - 40);
        const ht = (value(cell.target) / max) * (height - 40);
        return (
          `<rect class="legacy" x="${x}" y="${height - 20 - hl}" width="${barWidth}" height="${hl}"><title>${escape(`${month} legacy ${cell.legacy}`)}</title></rect>` +
          `<rect class="archive" x="${x + barWidth}" y="${height - 20 - ht}" width="${barWidth}" height="${ht}"><title>${escape(`${month} archive ${cell.target}`)}</title></rect>`
        );
      })
      .join('');
    const first = months[0] ?? '';
    const last = months[months.length - 1] ?? '';
    return (
      `<figure><figcaption>Order totals in ${escape(currency)} per month: legacy (dark) beside archive (light)</figcaption>` +
      `<svg class="money-chart" data-currency="${escape(currency)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="order totals in ${escape(currency)} per month, legacy beside archive">` +
      `<line x1="48" y1="${height - 20}" x2="${width}" y2="${height - 20}" stroke="#999"/>` +
      `<text x="2" y="14" font-size="10">${escape(max.toFixed(0))}</text><text x="50" y="${height - 5}" font-size="10">${escape(first)}</text>` +
      `<text x="${width - 50}" y="${height - 5}" font-size="10">${escape(last)}</text>${bars}</svg></figure>`
    );
  });
  return charts.join('\n') || '<p>No money in this wave.</p>';
}

/** One self-contained HTML file: no script, no external asset; opens in any browser. */
export function renderHtml(report: Report, seal?: string): string {
  const pass = report.verdict === 'pass';
  const sections = Object.keys(CHECK_TITLES)
    .map((check) => {
      const rows = report.checks.filter((c) => c.check === check);
      const failed = rows.filter((c) => !c.passed).length;
      const found = report.discrepancies.filter((d) => d.check === check);
      return (
        `<section class="check" id="check-${check}"><h2>${CHECK_TITLES[check]} <span class="${failed ? 'fail' : 'pass'}">${failed ? `${failed} failed` : 'all passed'}</span></h2>` +
        table(
          ['partner', 'entity', 'expected', 'actual', 'result', 'discrepancies'],
          rows.map((c) => [
            c.partnerId,
            c.entity,
            c.expected,
            c.actual,
            new Raw(c.passed ? '<span class="pass">pass</span>' : '<span class="fail">FAIL</span>'),
            c.discrepanciesTotal,
          ]),
        ) +
        (found.length === 0
          ? ''
          : `<h3>Discrepancies</h3>${table(
              ['partner', 'entity', 'legacy key', 'marketplace id', 'kind', 'detail', 'column', 'legacy', 'target'],
              found.flatMap((d) =>
                (d.columns && d.columns.length > 0 ? d.columns : [null]).map((c) => [
                  d.partnerId,
                  d.entity,
                  d.legacyKey,
                  d.marketplaceId ?? '',
                  d.kind,
                  d.detail,
                  c?.column ?? '',
                  c?.legacy ?? '',
                  c?.target ?? '',
                ]),
              ),
              'discrepancies',
            )}`) +
        '</section>'
      );
    })
    .join('\n');
  const groups = (title: string, list: Report['quarantine']) =>
    `<section><h2>${title}</h2>${table(
      ['entity', 'reason', 'count', 'examples'],
      list.map((g) => [
        g.entity,
        g.reason,
        g.count,
        g.examples.map((e) => `${e.legacyKey}${e.detail ? ` (${e.detail})` : ''}`).join('; '),
      ]),
    )}</section>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Reconciliation report: wave ${escape(report.wave)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin:.5rem 0 1rem}
td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px;text-align:left}th{background:#f3f3f3}
.pass{color:#176f2c;font-weight:600}.fail{color:#b00020;font-weight:700}
#verdict{font-size:1.6rem;padding:.5rem 1rem;border-radius:4px;display:inline-block}
#verdict.pass{background:#e3f5e6}#verdict.fail{background:#fde7ea}
.money-chart .legacy{fill:#2b5797}.money-chart .archive{fill:#9fc1ef}figure{display:inline-block;margin:0 1rem 1rem 0}
</style></head><body>
<h1>Reconciliation report — wave ${escape(report.wave)}, run ${escape(report.runId)}</h1>
<p id="verdict" class="${pass ? 'pass' : 'fail'}">Verdict: ${pass ? 'PASS' : 'FAIL'}</p>
<p>${report.totals.partnersPassed} of ${report.totals.partners} partners passed; ${report.totals.checksFailed} of ${report.totals.checks} checks failed; ${report.totals.discrepancies} discrepancies${report.discrepanciesNotListed ? ` (${report.discrepanciesNotListed} not listed)` : ''}.
Watermark ${escape(report.watermark ?? '-')}; generated ${escape(report.generatedAt)}.<br>sha256 <code>${escape(seal ?? 'not sealed')}</code>, previous <code>${escape(report.previousSha256 ?? 'none')}</code>.</p>
<section id="totals"><h2>Totals</h2>
${table(
  ['entity', 'legacy rows', 'target rows'],
  report.totals.rows.map((r) => [r.entity, r.legacy, r.target]),
)}
${table(
  ['currency', 'amount', 'legacy', 'archive'],
  report.totals.money.map((m) => [m.currency, m.amount, m.legacy, m.target]),
)}
${table(
  ['partner', 'result', 'failed checks'],
  report.partners.map((p) => [
    p.partnerId,
    new Raw(p.passed ? '<span class="pass">verified</span>' : '<span class="fail">failed</span>'),
    p.failedChecks.join(', '),
  ]),
)}
</section>
<section id="chart"><h2>Money per currency and month</h2>${moneyChart(report)}</section>
${sections}
${groups('Quarantine', report.quarantine)}
${groups('Skipped', report.skipped)}
${groups('Findings', report.findings)}
</body></html>
`;
}
