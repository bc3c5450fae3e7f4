import { htmlTable, Raw, type ReportRedactor } from '../../verify';
import { escape, page, pager, utc, type PageContext } from '../layout';
import type { ProblemRow } from '../sql/read-partner';
import { rawCell } from './raw-row';

export interface QuarantineQuery {
  wave?: string;
  partner?: string;
  entity?: string;
  reason?: string;
  status?: string;
}

function select(name: string, label: string, choices: string[], current: string | undefined, any = 'any'): string {
  return `<label>${label}<select name="${name}"><option value="">${any}</option>${choices
    .map((c) => `<option value="${escape(c)}"${c === current ? ' selected' : ''}>${escape(c)}</option>`)
    .join('')}</select></label>`;
}

export function renderQuarantinePage(
  ctx: PageContext,
  query: QuarantineQuery,
  choices: { waves: string[]; entities: string[]; reasons: string[] },
  result: { rows: ProblemRow[]; total: number },
  view: { page: number; pageSize: number },
  redactor: ReportRedactor,
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const form = `<form class="filters" method="get" action="/quarantine">
${select('wave', 'wave', choices.waves, query.wave)}
<label>partner<input name="partner" inputmode="numeric" value="${escape(query.partner ?? '')}" size="8"></label>
${select('entity', 'entity', choices.entities, query.entity)}
${select('reason', 'reason', choices.reasons, query.reason)}
${select('status', 'status', ['open', 'resolved', 'all'], query.status ?? 'open', 'open')}
<button>filter</button> <a href="/quarantine">clear</a>
<a id="export" href="/quarantine.csv?${escape(params.toString())}">export CSV (${result.total} rows)</a>
</form>`;
  const rows = result.rows.map((row) => [
    row.id,
    row.partnerId === null ? '–' : new Raw(`<a href="/partners/${row.partnerId}">${row.partnerId}</a>`),
    row.entity,
    row.legacyKey,
    row.reason,
    row.detail ? redactor.text(row.detail) : '',
    rawCell(row.raw, redactor),
    utc(row.firstSeenAt),
    utc(row.lastSeenAt),
    utc(row.resolvedAt),
  ]);
  return page(
    ctx,
    'Quarantine',
    `<h1>Quarantine <span class="muted">${result.total} row(s)</span></h1>${form}` +
      pager('/quarantine', { ...query }, view.page, Math.ceil(result.total / view.pageSize)) +
      htmlTable(
        ['id', 'partner', 'entity', 'legacy key', 'reason', 'detail', 'raw row', 'first seen', 'last seen', 'resolved'],
        rows,
        'quarantine',
      ),
  );
}

const CSV_HEADER = [
  'id',
  'legacy_partner_id',
  'entity',
  'legacy_key',
  'reason',
  'detail',
  'raw',
  'first_seen_at',
  'last_seen_at',
  'resolved_at',
];

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV header line of the quarantine export. */
export const quarantineCsvHeader = () => `${CSV_HEADER.join(',')}\n`;

/** CSV lines of quarantined rows, personal values redacted as on the page. */
export function quarantineCsvLines(
  rows: ProblemRow[],
  redact: (raw: unknown) => unknown,
  text: (t: string) => string,
): string {
  return rows
    .map(
      (row) =>
        [
          row.id,
          row.partnerId,
          row.entity,
          row.legacyKey,
          row.reason,
          row.detail === null ? null : text(row.detail),
          row.raw === null ? null : JSON.stringify(redact(row.raw)),
          row.firstSeenAt,
          row.lastSeenAt,
          row.resolvedAt,
        ]
          .map(csvCell)
          .join(',') + '\n',
    )
    .join('');
}
