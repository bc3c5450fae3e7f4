import type { Report } from './report';
import { canonicalJson } from './seal';

export const REPORT_FORMATS = ['md', 'html', 'json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const CHECK_TITLES: Record<string, string> = {
  completeness: 'Completeness',
  archive_fidelity: 'Archive fidelity',
  mapping_fidelity: 'Mapping fidelity',
  integrity: 'Integrity',
};

function cellsOf(d: Report['discrepancies'][number]): string {
  return (d.columns ?? [])
    .map((c) => `${c.column}: legacy ${c.legacy ?? 'NULL'} / target ${c.target ?? 'NULL'}`)
    .join('; ');
}

/** Markdown for a terminal or a ticket. */
export function renderMarkdown(report: Report, seal?: string): string {
  const md = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    `# Reconciliation report: wave ${report.wave}, run ${report.runId}`,
    '',
    `**Verdict: ${report.verdict.toUpperCase()}** — ${report.totals.partnersPassed} of ${report.totals.partners} partners passed, ` +
      `${report.totals.checksFailed} of ${report.totals.checks} checks failed, ${report.totals.discrepancies} discrepancies.`,
    '',
    `Watermark ${report.watermark ?? '-'}, generated ${report.generatedAt}${seal ? `, sha256 ${seal}` : ''}, previous ${report.previousSha256 ?? 'none'}.`,
    '',
    '## Rows per entity',
    '',
    '| entity | legacy | target |',
    '|---|---:|---:|',
    ...report.totals.rows.map((r) => `| ${r.entity} | ${r.legacy} | ${r.target} |`),
    '',
    '## Money per currency',
    '',
    '| currency | amount | legacy | archive |',
    '|---|---|---:|---:|',
    ...report.totals.money.map((m) => `| ${m.currency} | ${m.amount} | ${m.legacy} | ${m.target} |`),
    '',
  ];
  for (const check of Object.keys(CHECK_TITLES)) {
    const rows = report.checks.filter((c) => c.check === check);
    lines.push(
      `## ${CHECK_TITLES[check]}`,
      '',
      '| partner | entity | expected | actual | passed | discrepancies |',
      '|---:|---|---|---|---|---:|',
    );
    for (const c of rows)
      lines.push(
        `| ${c.partnerId} | ${c.entity} | ${md(c.expected)} | ${md(c.actual)} | ${c.passed ? 'yes' : '**NO**'} | ${c.discrepanciesTotal} |`,
      );
    const found = report.discrepancies.filter((d) => d.check === check);
    if (found.length > 0) {
      lines.push(
        '',
        '| partner | entity | legacy key | marketplace id | kind | detail | columns |',
        '|---:|---|---|---|---|---|---|',
      );
      for (const d of found)
        lines.push(
          `| ${d.partnerId} | ${d.entity} | ${d.legacyKey ?? ''} | ${d.marketplaceId ?? ''} | ${d.kind} | ${md(d.detail)} | ${md(cellsOf(d))} |`,
        );
    }
    lines.push('');
  }
  if (report.discrepanciesNotListed > 0)
    lines.push(`${report.discrepanciesNotListed} further discrepancies were counted but not listed.`, '');
  if (report.pending.length > 0) {
    lines.push(
      '## Pending',
      '',
      `${report.pending.length} legacy row(s) changed after watermark ${report.watermark ?? '-'}: not discrepancies, ` +
        'the next `ppm sync run` takes them.',
      '',
      '| partner | entity | legacy key |',
      '|---:|---|---|',
      ...report.pending.map((row) => `| ${row.partnerId} | ${row.entity} | ${row.legacyKey} |`),
      '',
    );
  }
  for (const [title, groups] of [
    ['Quarantine', report.quarantine],
    ['Skipped', report.skipped],
    ['Findings', report.findings],
  ] as const) {
    lines.push(`## ${title}`, '', '| entity | reason | count | examples |', '|---|---|---:|---|');
    for (const g of groups)
      lines.push(`| ${g.entity} | ${g.reason} | ${g.count} | ${g.examples.map((e) => e.legacyKey).join(', ')} |`);
    lines.push('');
  }
  return lines.join('\n');
}

const CSV_HEADER = [
  'record',
  'check',
  'entity',
  'partner_id',
  'legacy_key',
  'marketplace_id',
  'kind',
  'passed',
  'expected',
  'actual',
  'detail',
  'column',
  'legacy_value',
  'target_value',
];

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV: one line per check result, then one per discrepancy column (or per discrepancy without columns). */
export function renderCsv(report: Report): string {
  const rows: unknown[][] = [CSV_HEADER];
  for (const c of report.checks)
    rows.push(['check', c.check, c.entity, c.partnerId, '', '', '', c.passed, c.expected, c.actual, '', '', '', '']);
  for (const d of report.discrepancies) {
    const base = [
      'discrepancy',
      d.check,
      d.entity,
      d.partnerId,
      d.legacyKey,
      d.marketplaceId ?? '',
      d.kind,
      false,
      '',
      '',
      d.detail,
    ];
    if (d.columns && d.columns.length > 0)
      for (const col of d.columns) rows.push([...base, col.column, col.legacy, col.target]);
    else rows.push([...base, '', '', '']);
  }
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}

/** JSON as sealed: canonical (sorted keys), so the file's sha256 of the body is checkable by anyone. */
export function renderJson(report: Report, seal?: string): string {
  return `${JSON.stringify(JSON.parse(canonicalJson({ report, sha256: seal ?? null })), null, 2)}\n`;
}
