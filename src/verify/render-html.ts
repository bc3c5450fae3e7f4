import { addDecimals, formatDecimal, multiplyDecimal, parseDecimal } from '../core/decimal';
import type { Report } from './report';

export const escapeHtml = (text: unknown) =>
  String(text ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
const escape = escapeHtml;

const CHECK_TITLES: Record<string, string> = {
  completeness: 'Completeness',
  archive_fidelity: 'Archive fidelity',
  mapping_fidelity: 'Mapping fidelity',
  integrity: 'Integrity',
};

/** A cell that is already HTML. */
export class Raw {
  constructor(readonly html: string) {}

  /** The HTML itself, so a Raw can stand in a template as well as in a table cell. */
  toString(): string {
    return this.html;
  }
}

/** A table; the columns at `numeric` (indexes) are right-aligned figures. */
export function htmlTable(headers: string[], rows: unknown[][], className = '', numeric: number[] = []): string {
  const cls = (index: number) => (numeric.includes(index) ? ' class="num"' : '');
  return (
    `<table class="${className}"><thead><tr>${headers.map((h, i) => `<th${cls(i)}>${escape(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows
      .map(
        (row) =>
          `<tr>${row.map((cell, i) => `<td${cls(i)}>${cell instanceof Raw ? cell.html : escape(cell)}</td>`).join('')}</tr>`,
      )
      .join('') +
    '</tbody></table>'
  );
}

/** How many checks of one (check, entity) ran and how many failed. */
export interface CheckSummary {
  check: string;
  entity: string;
  total: number;
  failed: number;
}

/**
 * What the report page shows, whoever assembled it: the static file from a whole report, the
 * console from the pieces it reads in SQL (failing rows only, counts of the rest).
 */
export interface ReportView {
  wave: string;
  runId: string;
  runKind: string;
  watermark: string | null;
  generatedAt: string;
  verdict: Report['verdict'];
  totals: Report['totals'];
  seal: string | null;
  previousSha256: string | null;
  failedPartners: Report['partners'];
  /** Only the checks that failed; the others are counted in `checkSummary`. */
  failedChecks: Report['checks'];
  checkSummary: CheckSummary[];
  discrepancies: Report['discrepancies'];
  discrepanciesNotListed: number;
  /** Legacy rows changed after the watermark: pending for the next sync, not discrepancies. */
  pending: Report['pending'];
  money: Report['money'];
  quarantine: Report['quarantine'];
  skipped: Report['skipped'];
  findings: Report['findings'];
}

/** Per (check, entity), how many ran and failed, in the order of CHECK_TITLES. */
export function summariseChecks(checks: Report['checks']): CheckSummary[] {
  const summary = new Map<string, CheckSummary>();
  for (const c of checks) {
    const key = `${c.check}|${c.entity}`;
    const entry = summary.get(key) ?? { check: c.check, entity: c.entity, total: 0, failed: 0 };
    entry.total += 1;
    if (!c.passed) entry.failed += 1;
    summary.set(key, entry);
  }
  const order = Object.keys(CHECK_TITLES);
  return [...summary.values()].sort(
    (a, b) => order.indexOf(a.check) - order.indexOf(b.check) || a.entity.localeCompare(b.entity),
  );
}

export function reportView(report: Report, seal: string | null): ReportView {
  return {
    wave: report.wave,
    runId: report.runId,
    runKind: report.runKind,
    watermark: report.watermark,
    generatedAt: report.generatedAt,
    verdict: report.verdict,
    totals: report.totals,
    seal,
    previousSha256: report.previousSha256,
    failedPartners: report.partners.filter((p) => !p.passed),
    failedChecks: report.checks.filter((c) => !c.passed),
    checkSummary: summariseChecks(report.checks),
    discrepancies: report.discrepancies,
    discrepanciesNotListed: report.discrepanciesNotListed,
    pending: report.pending ?? [],
    money: report.money,
    quarantine: report.quarantine,
    skipped: report.skipped,
    findings: report.findings,
  };
}

/** A month outside any plausible business history (`1900-01`, `9999-12`): listed apart, not on the time axis. */
export function isSentinelMonth(month: string): boolean {
  const year = Number(month.slice(0, 4));
  return !/^\d{4}-\d{2}$/.test(month) || year < 1970 || year > 2100;
}

/** Every month from `first` to `last` (`YYYY-MM`), gaps included. */
export function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  let year = Number(first.slice(0, 4));
  let month = Number(first.slice(5, 7));
  const end = Number(last.slice(0, 4)) * 12 + Number(last.slice(5, 7));
  while (year * 12 + month <= end) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

/** legacy - archive, exactly; a side with no money counts as zero. */
export function moneyDifference(legacy: string | null, target: string | null): string {
  const zero = { units: 0n, scale: 0 };
  const a = parseDecimal(legacy) ?? zero;
  const b = parseDecimal(target) ?? zero;
  return formatDecimal(addDecimals(a, multiplyDecimal(b, -1)));
}

const isZero = (text: string) => /^-?0(\.0+)?$/.test(text);

/** A round step for an axis of about `ticks` intervals up to `max`. */
function niceStep(max: number, ticks: number): number {
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const residual = raw / magnitude;
  return (residual > 5 ? 10 : residual > 2 ? 5 : residual > 1 ? 2 : 1) * magnitude;
}

const compact = (value: number) =>
  Math.abs(value) >= 1e6
    ? `${(value / 1e6).toFixed(Math.abs(value) >= 1e7 ? 0 : 1)}M`
    : Math.abs(value) >= 1e3
      ? `${(value / 1e3).toFixed(Math.abs(value) >= 1e4 ? 0 : 1)}k`
      : String(Number(value.toFixed(2)));

const CHART_AMOUNT = { order: 'total', invoice: 'gross' } as const;
const ENTITY_TITLES = { order: 'Order totals', invoice: 'Invoice gross amounts' } as const;

/**
 * Money per currency and month as the difference legacy minus archive (zero when equal): one
 * inline SVG per currency and entity, scaled to the page width, with labelled axes, every month
 * between the first and the last on the time axis (a month without money is a gap), sentinel
 * months listed apart, and the table of the chart beneath it.
 */
export function moneyChart(money: Report['money']): string {
  const differing: string[] = [];
  const equal: string[] = [];
  const currencies = [...new Set(money.map((m) => m.currency))].sort();
  for (const currency of currencies) {
    for (const entity of ['order', 'invoice'] as const) {
      const cells = money.filter(
        (m) => m.currency === currency && m.entity === entity && m.amount === CHART_AMOUNT[entity],
      );
      if (cells.length === 0) continue;
      const differs = cells.some((cell) => !isZero(moneyDifference(cell.legacy, cell.target)));
      (differs ? differing : equal).push(differenceChart(currency, entity, cells));
    }
  }
  if (differing.length + equal.length === 0) return '<p>No money in this wave.</p>';
  // Charts that differ first, full width; those equal in every month smaller, side by side.
  return (
    differing.join('\n') +
    (equal.length > 0
      ? `<h3 class="equal-charts">Equal in every month (${equal.length})</h3><div class="charts-equal">${equal.join('\n')}</div>`
      : '')
  );
}

function differenceChart(currency: string, entity: 'order' | 'invoice', cells: Report['money']): string {
  const byMonth = new Map(cells.map((cell) => [cell.month, cell]));
  const onAxis = [...byMonth.keys()].filter((month) => !isSentinelMonth(month)).sort();
  const sentinels = [...byMonth.keys()].filter(isSentinelMonth).sort();
  const months = onAxis.length > 0 ? monthsBetween(onAxis[0]!, onAxis[onAxis.length - 1]!) : [];
  const differences = new Map(
    [...byMonth].map(([month, cell]) => [month, moneyDifference(cell.legacy, cell.target)] as const),
  );
  const differing = [...differences.values()].filter((d) => !isZero(d)).length;
  const maxAbs = Math.max(0, ...months.map((m) => Math.abs(Number(differences.get(m) ?? 0))));
  const step = maxAbs > 0 ? niceStep(maxAbs, 2) : 1;
  const top = maxAbs > 0 ? Math.ceil(maxAbs / step) * step : 1;

  const width = 760;
  const height = 220;
  const left = 64;
  const right = 24;
  const plotTop = 14;
  const plotBottom = height - 44;
  const plotWidth = width - left - right;
  const slot = months.length > 0 ? plotWidth / months.length : plotWidth;
  const y = (value: number) => plotTop + ((top - value) / (2 * top)) * (plotBottom - plotTop);
  const zeroY = y(0);
  const ticks: number[] = [];
  for (let value = -top; value <= top + step / 2; value += step) ticks.push(Number(value.toFixed(10)));

  const grid = ticks
    .map(
      (value) =>
        `<line class="grid" x1="${left}" x2="${width - right}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}"/>` +
        `<text class="tick" x="${left - 6}" y="${(y(value) + 3).toFixed(1)}" text-anchor="end">${escape(compact(value))}</text>`,
    )
    .join('');
  // Long axes are labelled at each January (by year, every few years if need be); short ones every few months.
  const byYear = months.length > 24;
  const yearEvery = Math.max(1, Math.ceil(months.length / 12 / 12));
  const labelEvery = Math.max(1, Math.ceil(months.length / 12));
  const labelled = (month: string, index: number) =>
    byYear ? month.endsWith('-01') && Number(month.slice(0, 4)) % yearEvery === 0 : index % labelEvery === 0;
  const xLabels = months
    .map((month, index) =>
      labelled(month, index)
        ? `<line class="grid" x1="${(left + (index + 0.5) * slot).toFixed(1)}" x2="${(left + (index + 0.5) * slot).toFixed(1)}" y1="${plotBottom}" y2="${plotBottom + 4}"/>` +
          `<text class="tick month" x="${(left + (index + 0.5) * slot).toFixed(1)}" y="${plotBottom + 16}" text-anchor="middle">${escape(byYear ? month.slice(0, 4) : month)}</text>`
        : '',
    )
    .join('');
  // A chart equal in every month is one path of zero marks (gaps kept); one that differs has a bar, and a tooltip, per month.
  const bars =
    differing === 0
      ? `<path class="equal" d="${months
          .map((month, index) =>
            differences.has(month)
              ? `M${(left + index * slot + slot * 0.15).toFixed(1)} ${zeroY.toFixed(1)}h${Math.max(1, slot * 0.7).toFixed(1)}`
              : '',
          )
          .join('')}"/>`
      : months
          .map((month, index) => {
            const difference = differences.get(month);
            const x = left + index * slot + slot * 0.15;
            const w = Math.max(1, slot * 0.7);
            if (difference === undefined) return '';
            const cell = byMonth.get(month)!;
            const title = `<title>${escape(`${month}: legacy ${cell.legacy ?? '-'}, archive ${cell.target ?? '-'}, difference ${difference}`)}</title>`;
            if (isZero(difference))
              return `<rect class="equal" data-month="${month}" x="${x.toFixed(1)}" y="${(zeroY - 1).toFixed(1)}" width="${w.toFixed(1)}" height="2">${title}</rect>`;
            const value = Number(difference);
            const barTop = Math.min(y(value), zeroY);
            const barHeight = Math.max(2, Math.abs(y(value) - zeroY));
            return `<rect class="difference ${value > 0 ? 'above' : 'below'}" data-month="${month}" x="${x.toFixed(1)}" y="${barTop.toFixed(1)}" width="${w.toFixed(1)}" height="${barHeight.toFixed(1)}">${title}</rect>`;
          })
          .join('');
  const title = `${ENTITY_TITLES[entity]} in ${currency}: legacy minus archive per month`;
  const svg =
    `<svg class="money-chart" data-currency="${escape(currency)}" data-entity="${entity}" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escape(title)}">` +
    grid +
    `<line class="axis" x1="${left}" x2="${width - right}" y1="${zeroY.toFixed(1)}" y2="${zeroY.toFixed(1)}"/>` +
    `<line class="axis" x1="${left}" x2="${left}" y1="${plotTop}" y2="${plotBottom}"/>` +
    xLabels +
    bars +
    `<text class="axis-title" x="${left + plotWidth / 2}" y="${height - 8}" text-anchor="middle">${byYear ? 'month (labels at January)' : 'month'}: ${months.length} on the axis${months.length > onAxis.length ? `, ${months.length - onAxis.length} without money` : ''}</text>` +
    `<text class="axis-title" transform="translate(14 ${(plotTop + plotBottom) / 2}) rotate(-90)" text-anchor="middle">legacy − archive (${escape(currency)})</text>` +
    '</svg>';
  const verdict =
    differing === 0
      ? `<p class="pass chart-verdict">Legacy equals archive in every month (${byMonth.size}).</p>`
      : `<p class="fail chart-verdict">${differing} of ${byMonth.size} months differ.</p>`;
  const sentinelList =
    sentinels.length === 0
      ? ''
      : `<div class="sentinels"><h4>Sentinel dates, not on the time axis</h4>${htmlTable(
          ['month', 'legacy', 'archive', 'legacy − archive'],
          sentinels.map((month) => {
            const cell = byMonth.get(month)!;
            return [month, cell.legacy ?? '-', cell.target ?? '-', differences.get(month)!];
          }),
          'sentinel-months',
          [1, 2, 3],
        )}</div>`;
  const rows = onAxis.map((month) => {
    const cell = byMonth.get(month)!;
    const difference = differences.get(month)!;
    if (differing === 0) return [month, cell.legacy ?? '-'];
    return [
      month,
      cell.legacy ?? '-',
      cell.target ?? '-',
      new Raw(isZero(difference) ? escape(difference) : `<span class="fail">${escape(difference)}</span>`),
    ];
  });
  return (
    `<figure class="money"><figcaption>${escape(title)}</figcaption>${verdict}${svg}${sentinelList}` +
    `<details class="chart-table"${differing > 0 ? ' open' : ''}><summary>The chart as a table (${onAxis.length} months)</summary>` +
    (differing === 0
      ? htmlTable(['month', 'legacy = archive'], rows, 'money-table', [1])
      : htmlTable(['month', 'legacy', 'archive', 'legacy − archive'], rows, 'money-table', [1, 2, 3])) +
    '</details></figure>'
  );
}

/** Links the console adds; the static file has none. */
export interface ReportLinks {
  partner?: (partnerId: number) => string;
}

function partnerCell(partnerId: number, links: ReportLinks): unknown {
  return links.partner ? new Raw(`<a href="${escape(links.partner(partnerId))}">${partnerId}</a>`) : partnerId;
}

/** The report page's content: verdict, what failed and why, then totals, money, the checks and the problems. */
export function renderReportBody(view: ReportView, links: ReportLinks = {}): string {
  const pass = view.verdict === 'pass';
  const discrepancyRows = view.discrepancies.flatMap((d) =>
    (d.columns && d.columns.length > 0 ? d.columns : [null]).map((c) => [
      partnerCell(d.partnerId, links),
      CHECK_TITLES[d.check] ?? d.check,
      d.entity,
      d.legacyKey ?? '',
      d.marketplaceId ?? '',
      d.kind,
      c?.column ?? '',
      c ? new Raw(`<span class="value legacy">${escape(c.legacy ?? 'NULL')}</span>`) : '',
      c ? new Raw(`<span class="value target">${escape(c.target ?? 'NULL')}</span>`) : '',
      d.detail,
    ]),
  );
  const failures = pass
    ? '<section id="failures"><h2>Failures</h2><p class="pass">No check failed.</p></section>'
    : `<section id="failures"><h2>Failures</h2>` +
      `<p>${view.failedPartners.length} partner(s) not verified; ${view.failedChecks.length} check(s) failed.</p>` +
      (view.discrepancies.length > 0
        ? `<h3>Discrepancies</h3>${htmlTable(
            [
              'partner',
              'check',
              'entity',
              'legacy key',
              'marketplace id',
              'kind',
              'column',
              'legacy',
              'target',
              'detail',
            ],
            discrepancyRows,
            'discrepancies',
          )}` +
          (view.discrepanciesNotListed > 0
            ? `<p class="fail">${view.discrepanciesNotListed} further discrepancies were counted but not listed.</p>`
            : '')
        : '') +
      `<h3>Failed checks</h3>${htmlTable(
        ['partner', 'check', 'entity', 'expected', 'actual', 'discrepancies'],
        view.failedChecks.map((c) => [
          partnerCell(c.partnerId, links),
          CHECK_TITLES[c.check] ?? c.check,
          c.entity,
          c.expected,
          c.actual,
          c.discrepanciesTotal,
        ]),
        'failed-checks',
      )}` +
      `<h3>Partners not verified</h3>${htmlTable(
        ['partner', 'failed checks'],
        view.failedPartners.map((p) => [partnerCell(p.partnerId, links), p.failedChecks.join(', ')]),
        'failed-partners',
      )}</section>`;
  const checkSections = Object.keys(CHECK_TITLES)
    .map((check) => {
      const summary = view.checkSummary.filter((s) => s.check === check);
      const failed = summary.reduce((sum, s) => sum + s.failed, 0);
      const total = summary.reduce((sum, s) => sum + s.total, 0);
      return (
        `<section class="check" id="check-${check}"><h3>${CHECK_TITLES[check]} <span class="${failed ? 'fail' : 'pass'}">${failed ? `${failed} of ${total} failed` : `all ${total} passed`}</span></h3>` +
        htmlTable(
          ['entity', 'partners checked', 'passed', 'failed'],
          summary.map((s) => [
            s.entity,
            s.total,
            s.total - s.failed,
            new Raw(s.failed ? `<span class="fail">FAIL ${s.failed}</span>` : '<span class="pass">0</span>'),
          ]),
          'check-summary',
          [1, 2, 3],
        ) +
        '</section>'
      );
    })
    .join('\n');
  const groups = (title: string, id: string, list: Report['quarantine']) =>
    `<section id="${id}"><h2>${title}</h2>${
      list.length === 0
        ? '<p>None.</p>'
        : htmlTable(
            ['entity', 'reason', 'count', 'examples'],
            list.map((g) => [
              g.entity,
              g.reason,
              g.count,
              g.examples.map((e) => `${e.legacyKey}${e.detail ? ` (${e.detail})` : ''}`).join('; '),
            ]),
          )
    }</section>`;
  const t = view.totals;
  return `<header class="report-head">
<h1>Reconciliation report — wave ${escape(view.wave)}, run ${escape(view.runId)}</h1>
<p id="verdict" class="${pass ? 'pass' : 'fail'}">Verdict: ${pass ? 'PASS' : 'FAIL'}</p>
<p class="summary">${t.partnersPassed} of ${t.partners} partners verified; ${t.checksFailed} of ${t.checks} checks failed; ${t.discrepancies} discrepancies${view.discrepanciesNotListed ? ` (${view.discrepanciesNotListed} not listed)` : ''}.</p>
<p class="meta">${escape(view.runKind)} run, watermark ${escape(view.watermark ?? '-')}, generated ${escape(view.generatedAt)}<br>sha256 <code>${escape(view.seal ?? 'not sealed')}</code>, previous <code>${escape(view.previousSha256 ?? 'none')}</code></p>
</header>
${failures}
${
  view.pending.length > 0
    ? `<section id="pending"><h2>Pending</h2><p>${view.pending.length} legacy row(s) changed after watermark ${escape(view.watermark ?? '-')}: not discrepancies; the next <code>ppm sync run</code> takes them.</p>${htmlTable(
        ['partner', 'entity', 'legacy key'],
        view.pending.map((row) => [row.partnerId, row.entity, row.legacyKey]),
        'pending',
        [0],
      )}</section>`
    : ''
}
<section id="totals"><h2>Totals</h2>
<div class="side-by-side">${htmlTable(
    ['entity', 'legacy rows', 'target rows'],
    t.rows.map((r) => [
      r.entity,
      r.legacy,
      new Raw(r.legacy === r.target ? escape(r.target) : `<span class="fail">${escape(r.target)}</span>`),
    ]),
    'rows',
    [1, 2],
  )}
${htmlTable(
  ['currency', 'amount', 'legacy', 'archive', 'legacy − archive'],
  t.money.map((m) => {
    const difference = moneyDifference(m.legacy, m.target);
    return [
      m.currency,
      m.amount,
      m.legacy,
      m.target,
      new Raw(isZero(difference) ? escape(difference) : `<span class="fail">${escape(difference)}</span>`),
    ];
  }),
  'money-totals',
  [2, 3, 4],
)}</div>
</section>
<section id="chart"><h2>Money per currency and month</h2>${moneyChart(view.money)}</section>
<section id="checks"><h2>Checks</h2>${checkSections}</section>
${groups('Quarantine', 'quarantine', view.quarantine)}
${groups('Skipped', 'skipped', view.skipped)}
${groups('Findings', 'findings', view.findings)}`;
}

/** The report page's styles, shared by the static file and the console. */
export const REPORT_STYLE = `
table{border-collapse:collapse;margin:.5rem 0 1rem}
td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px;text-align:left;vertical-align:top}th{background:#f3f3f3}
.pass{color:#176f2c;font-weight:600}.fail{color:#b00020;font-weight:700}
#verdict{font-size:1.6rem;padding:.4rem 1rem;border-radius:4px;display:inline-block;margin:.2rem 0}
#verdict.pass{background:#e3f5e6}#verdict.fail{background:#fde7ea}
.report-head h1{font-size:1.4rem;margin:.2rem 0}.meta{color:#555;font-size:12px}
table.discrepancies .value{font-family:ui-monospace,monospace}
table.discrepancies .value.legacy{background:#eef3fb}table.discrepancies .value.target{background:#fdf0e6}
.side-by-side{display:flex;flex-wrap:wrap;gap:0 2rem;align-items:flex-start}
figure.money{margin:0 0 1.5rem;max-width:900px}figure.money figcaption{font-weight:600}
.money-chart{display:block;max-width:900px;height:auto}
.money-chart .grid{stroke:#e3e3e3}.money-chart .axis{stroke:#555}
.money-chart .tick{font-size:10px;fill:#444}.money-chart .axis-title{font-size:11px;fill:#222}
.money-chart .difference.above{fill:#b00020}.money-chart .difference.below{fill:#2b5797}.money-chart rect.equal{fill:#176f2c}.money-chart path.equal{stroke:#176f2c;stroke-width:2;fill:none}
.chart-verdict{margin:.2rem 0}.charts-equal{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:0 1.5rem}
.charts-equal figure.money{font-size:13px}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}.sentinels h4{margin:.4rem 0 0;font-size:13px}
details.chart-table summary{cursor:pointer;font-size:13px;color:#2b5797}
`;

/** One self-contained HTML file: no script, no external asset; opens in any browser. */
export function renderHtml(report: Report, seal?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Reconciliation report: wave ${escape(report.wave)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1200px}${REPORT_STYLE}</style></head><body>
${renderReportBody(reportView(report, seal ?? null))}
</body></html>
`;
}
