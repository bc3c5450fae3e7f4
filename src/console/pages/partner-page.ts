import { redactText } from '../../core/redact';
import type { CountsByEntity } from '../../load';
import { htmlTable, Raw, type ReportRedactor } from '../../verify';
import { actionButton, escape, page, utc, type PageContext } from '../layout';
import type { ConsoleActionRow } from '../sql/console-actions';
import type {
  CheckRow,
  EffectRow,
  FindingCount,
  InvitationListRow,
  PartnerInWave,
  ProblemRow,
} from '../sql/read-partner';
import { rawCell } from './raw-row';

export interface PartnerPageData {
  partner: PartnerInWave;
  counts: CountsByEntity;
  quarantine: { rows: ProblemRow[]; total: number };
  skipped: { rows: ProblemRow[]; total: number };
  findings: FindingCount[];
  effects: EffectRow[];
  invitations: InvitationListRow[];
  checks: CheckRow[];
  actions: ConsoleActionRow[];
  notice?: string;
}

/** What an action did, in words (its outcome as the CLI command returned it). */
export function describeAction(action: string, outcome: unknown, error: string | null): string {
  if (error) return `refused: ${redactText(error)}`;
  const o = (outcome ?? {}) as Record<string, any>;
  const skipped = (list: unknown) =>
    Array.isArray(list) && list.length > 0
      ? `; skipped: ${list.map((s: { accountUserId: string; reason: string }) => `${s.accountUserId} (${s.reason})`).join(', ')}`
      : '';
  switch (action) {
    case 'retry-effects':
      return `${o.retried ?? 0} failed effect(s) back to pending`;
    case 'resend-invitation':
      return `${o.resent ?? 0} invitation(s) recorded for sending again${skipped(o.skipped)}`;
    case 'revoke-invitation':
      return `${o.revoked ?? 0} invitation(s) revoked, ${o.outboxFailed ?? 0} unsent message(s) left failed${skipped(o.skipped)}`;
    case 'reverify-partner':
      return `verify run ${o.runId}: ${o.passed ? 'every check passed' : 'a check failed'}; report sealed, sha256 ${String(o.sha256 ?? '').slice(0, 12)}…`;
    default:
      return redactText(JSON.stringify(outcome));
  }
}

const ENTITY_ORDER = ['partner', 'user', 'customer', 'order', 'order_line', 'invoice', 'invoice_line', 'subscription'];

const STEPS = ['planned', 'notified', 'loading', 'loaded', 'verified', 'cutover', 'done'] as const;

function problems(
  title: string,
  id: string,
  list: { rows: ProblemRow[]; total: number },
  redactor: ReportRedactor,
  more?: string,
) {
  return (
    `<section id="${id}"><h2>${title} (${list.total})</h2>` +
    (list.total === 0
      ? '<p class="muted">None.</p>'
      : htmlTable(
          ['entity', 'legacy key', 'reason', 'detail', 'raw row', 'last seen'],
          list.rows.map((row) => [
            row.entity,
            row.legacyKey,
            row.reason,
            row.detail ? redactor.text(row.detail) : '',
            rawCell(row.raw, redactor),
            utc(row.lastSeenAt),
          ]),
          id,
        ) +
        (list.total > list.rows.length
          ? more
            ? `<p><a href="${escape(more)}">all ${list.total} →</a></p>`
            : `<p class="muted">${list.total - list.rows.length} more not listed.</p>`
          : '')) +
    '</section>'
  );
}

export function renderPartnerPage(ctx: PageContext, data: PartnerPageData, redactor: ReportRedactor): string {
  const { partner } = data;
  const timeline = `<ol class="timeline">${STEPS.map((step) => {
    const at = partner.steps[step];
    return `<li class="${at ? 'reached' : 'missing'}" data-step="${step}">${step}<br><span class="muted">${utc(at)}</span></li>`;
  }).join('')}${
    partner.state === 'failed'
      ? `<li class="failed" data-step="failed">failed<br><span class="muted">${utc(partner.steps.failed)}</span></li>`
      : ''
  }</ol>`;
  const counts = Object.entries(data.counts)
    .sort(([a], [b]) => ENTITY_ORDER.indexOf(a) - ENTITY_ORDER.indexOf(b))
    .map(([entity, c]) => [entity, c!.extracted, c!.loaded, c!.quarantined, c!.skipped]);
  // An auditor sees no action column at all.
  const canAct = ctx.actor?.role === 'operator';
  const withAction = (headers: string[]) => (canAct ? [...headers, ''] : headers);
  const actionCell = (row: unknown[], cell: Raw) => (canAct ? [...row, cell] : row);
  const failedKinds = [...new Set(data.effects.filter((e) => e.state === 'failed').map((e) => e.kind))];
  const effects = htmlTable(
    withAction(['kind', 'event key', 'queue', 'state', 'attempts', 'last error', 'not before', 'done']),
    data.effects.map((e) =>
      actionCell(
        [
          e.kind,
          e.eventKey,
          e.queue,
          new Raw(e.state === 'failed' ? '<span class="fail">failed</span>' : escape(e.state)),
          e.attempts,
          e.lastError ? redactText(e.lastError) : '',
          utc(e.notBefore),
          utc(e.doneAt),
        ],
        new Raw(
          e.state === 'failed'
            ? actionButton(
                ctx,
                'retry-effects',
                { kind: e.kind, partnerId: partner.partnerId, wave: partner.wave },
                'retry',
              )
            : '',
        ),
      ),
    ),
    'effects',
  );
  const latestPerUser = new Map<string, InvitationListRow>();
  for (const row of data.invitations)
    if (!latestPerUser.has(row.accountUserId)) latestPerUser.set(row.accountUserId, row);
  const invitations = htmlTable(
    withAction(['account user', 'event key', 'status', 'sent', 'expires', 'accepted', 'revoked']),
    data.invitations.map((row) =>
      actionCell(
        [
          row.accountUserId,
          row.eventKey,
          row.status,
          utc(row.sentAt),
          utc(row.expiresAt),
          utc(row.acceptedAt),
          utc(row.revokedAt),
        ],
        new Raw(
          latestPerUser.get(row.accountUserId) === row && !['accepted', 'revoked'].includes(row.status)
            ? actionButton(
                ctx,
                'resend-invitation',
                { accountUserId: row.accountUserId, partnerId: partner.partnerId },
                'resend',
              ) +
                ' ' +
                actionButton(
                  ctx,
                  'revoke-invitation',
                  { accountUserId: row.accountUserId, partnerId: partner.partnerId },
                  'revoke',
                )
            : '',
        ),
      ),
    ),
    'invitations',
  );
  const checks = htmlTable(
    ['check', 'entity', 'expected', 'actual', 'result'],
    data.checks.map((c) => [
      c.check,
      c.entity,
      c.expected ? redactor.text(c.expected) : '',
      c.actual ? redactor.text(c.actual) : '',
      new Raw(c.passed ? '<span class="pass">pass</span>' : '<span class="fail">FAIL</span>'),
    ]),
    'checks',
  );
  const actions = htmlTable(
    ['when', 'who', 'action', 'subject', 'outcome'],
    data.actions.map((a) => [
      utc(a.createdAt),
      `${a.actor} (${a.role})`,
      a.action,
      a.subject ?? '',
      describeAction(a.action, a.outcome, a.error),
    ]),
    'actions',
  );
  const content =
    `<h1>Partner ${partner.partnerId} <span class="muted">wave <a href="/waves/${encodeURIComponent(partner.wave)}">${escape(partner.wave)}</a>, ${escape(partner.state)}</span></h1>` +
    (data.notice ? `<p class="notice" id="notice">${escape(data.notice)}</p>` : '') +
    (partner.failureReason ? `<p class="error">failed: ${escape(redactText(partner.failureReason))}</p>` : '') +
    `<section id="timeline"><h2>Timeline</h2>${timeline}</section>` +
    `<section id="rows"><h2>Rows per entity <span class="muted">(latest wave run)</span></h2>${
      counts.length === 0
        ? '<p class="muted">Not loaded yet.</p>'
        : htmlTable(['entity', 'extracted', 'loaded', 'quarantined', 'skipped'], counts, 'rows', [1, 2, 3, 4])
    }</section>` +
    `<section id="verification"><h2>Last checks</h2>${actionButton(ctx, 'reverify-partner', { wave: partner.wave, partnerId: partner.partnerId }, 'verify again')}${
      data.checks.length === 0
        ? '<p class="muted">Not checked yet.</p>'
        : `<p class="muted">run ${escape(data.checks[0]!.runId)}, ${utc(data.checks[0]!.checkedAt)}</p>${checks}`
    }</section>` +
    problems('Quarantine', 'quarantine', data.quarantine, redactor, `/quarantine?partner=${partner.partnerId}`) +
    problems('Skipped rows', 'skipped', data.skipped, redactor) +
    `<section id="findings"><h2>Findings</h2>${
      data.findings.length === 0
        ? '<p class="muted">None.</p>'
        : htmlTable(
            ['entity', 'code', 'count', 'example', 'detail'],
            data.findings.map((f) => [f.entity, f.code, f.count, f.example, f.detail ? redactor.text(f.detail) : '']),
          )
    }</section>` +
    `<section id="effects-section"><h2>Effects${failedKinds.length ? ` <span class="fail">${failedKinds.length} kind(s) failed</span>` : ''}</h2>${
      data.effects.length === 0 ? '<p class="muted">None recorded.</p>' : effects
    }</section>` +
    `<section id="invitations-section"><h2>Invitations</h2>${
      data.invitations.length === 0 ? '<p class="muted">None recorded.</p>' : invitations
    }</section>` +
    `<section id="actions-section"><h2>Console actions</h2>${
      data.actions.length === 0 ? '<p class="muted">None.</p>' : actions
    }</section>`;
  return page(ctx, `Partner ${partner.partnerId}`, content);
}
