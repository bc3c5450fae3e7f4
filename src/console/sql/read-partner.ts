import type { Knex } from 'knex';

/** A partner's place in its wave, with the time of each step. */
export interface PartnerInWave {
  waveId: number;
  wave: string;
  partnerId: number;
  state: string;
  failureReason: string | null;
  steps: Record<string, string | null>;
}

/** The partner's row in the (latest) wave that holds it. */
export async function readPartnerInWave(db: Knex, partnerId: number): Promise<PartnerInWave | undefined> {
  const row = await db('migration.wave_partners as wp')
    .join('migration.waves as w', 'w.id', 'wp.wave_id')
    .first(
      'w.id as wave_id',
      'w.name as wave',
      'wp.state',
      'wp.failure_reason',
      'wp.planned_at',
      'wp.notified_at',
      'wp.loading_at',
      'wp.loaded_at',
      'wp.verified_at',
      'wp.cutover_at',
      'wp.done_at',
      'wp.failed_at',
    )
    .where('wp.legacy_partner_id', partnerId)
    .orderBy('w.id', 'desc');
  if (!row) return undefined;
  return {
    waveId: Number(row.wave_id),
    wave: row.wave,
    partnerId,
    state: row.state,
    failureReason: row.failure_reason,
    steps: {
      planned: row.planned_at,
      notified: row.notified_at,
      loading: row.loading_at,
      loaded: row.loaded_at,
      verified: row.verified_at,
      cutover: row.cutover_at,
      done: row.done_at,
      failed: row.failed_at,
    },
  };
}

export interface ProblemRow {
  id: string;
  entity: string;
  legacyKey: string;
  partnerId: number | null;
  reason: string;
  detail: string | null;
  raw: unknown;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
}

export const toProblemRow = (row: Record<string, any>): ProblemRow => ({
  id: String(row.id),
  entity: row.entity,
  legacyKey: row.legacy_key,
  partnerId: row.legacy_partner_id === null ? null : Number(row.legacy_partner_id),
  reason: row.reason,
  detail: row.detail,
  raw: row.raw,
  firstSeenAt: row.first_seen_at,
  lastSeenAt: row.last_seen_at,
  resolvedAt: row.resolved_at,
});

/** The first open quarantined (or skipped) rows of a partner, and how many there are. */
export async function readPartnerProblems(
  db: Knex,
  table: 'quarantine' | 'skipped',
  partnerId: number,
  limit: number,
): Promise<{ rows: ProblemRow[]; total: number }> {
  const [rows, counted] = await Promise.all([
    db(`migration.${table}`)
      .select('*')
      .where({ legacy_partner_id: partnerId })
      .whereNull('resolved_at')
      .orderBy('id')
      .limit(limit),
    db(`migration.${table}`)
      .count<Array<{ n: string }>>('* as n')
      .where({ legacy_partner_id: partnerId })
      .whereNull('resolved_at'),
  ]);
  return { rows: rows.map(toProblemRow), total: Number(counted[0]?.n ?? 0) };
}

export interface FindingCount {
  entity: string;
  code: string;
  count: number;
  example: string;
  detail: string | null;
}

/** The partner's findings of its latest run that recorded any, per entity and code, with one example. */
export async function readPartnerFindings(db: Knex, partnerId: number): Promise<FindingCount[]> {
  const { rows } = await db.raw<{
    rows: Array<{ entity: string; code: string; n: number; example: string; detail: string | null }>;
  }>(
    `SELECT entity, code, count(*)::int AS n, min(legacy_key) AS example, min(detail) AS detail
       FROM migration.findings
      WHERE legacy_partner_id = ?
        AND run_id = (SELECT max(run_id) FROM migration.findings WHERE legacy_partner_id = ?)
      GROUP BY entity, code ORDER BY entity, code`,
    [partnerId, partnerId],
  );
  return rows.map((row) => ({
    entity: row.entity,
    code: row.code,
    count: row.n,
    example: row.example,
    detail: row.detail,
  }));
}

export interface EffectRow {
  id: string;
  eventKey: string;
  kind: string;
  queue: string;
  state: string;
  attempts: number;
  lastError: string | null;
  notBefore: string | null;
  doneAt: string | null;
  failedAt: string | null;
  createdAt: string;
}

/** The partner's outbox effects in the order they were recorded (a partner has tens, not thousands). */
export async function readPartnerEffects(db: Knex, partnerId: number): Promise<EffectRow[]> {
  const rows = await db('migration.outbox')
    .select(
      'id',
      'event_key',
      'kind',
      'queue',
      'state',
      'attempts',
      'last_error',
      'not_before',
      'done_at',
      'failed_at',
      'created_at',
    )
    .where({ legacy_partner_id: partnerId })
    .orderBy('id')
    .limit(500);
  return rows.map((row) => ({
    id: String(row.id),
    eventKey: row.event_key,
    kind: row.kind,
    queue: row.queue,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    notBefore: row.not_before,
    doneAt: row.done_at,
    failedAt: row.failed_at,
    createdAt: row.created_at,
  }));
}

export interface InvitationListRow {
  id: string;
  accountUserId: string;
  eventKey: string;
  status: string;
  sentAt: string | null;
  expiresAt: string | null;
  acceptedAt: string | null;
  revokedAt: string | null;
}

/** The partner's invitations, newest first per account user, with what each is now. */
export async function readPartnerInvitations(db: Knex, partnerId: number): Promise<InvitationListRow[]> {
  const { rows } = await db.raw<{ rows: Array<Record<string, any>> }>(
    `SELECT id, account_user_id, event_key, sent_at, expires_at, accepted_at, revoked_at,
            CASE WHEN accepted_at IS NOT NULL THEN 'accepted'
                 WHEN superseded_by IS NOT NULL THEN 'superseded'
                 WHEN revoked_at IS NOT NULL THEN 'revoked'
                 WHEN sent_at IS NULL THEN 'open'
                 WHEN expires_at < now() THEN 'expired'
                 ELSE 'sent' END AS status
       FROM migration.invitations
      WHERE legacy_partner_id = ?
      ORDER BY account_user_id, id DESC
      LIMIT 500`,
    [partnerId],
  );
  return rows.map((row) => ({
    id: String(row.id),
    accountUserId: row.account_user_id,
    eventKey: row.event_key,
    status: row.status,
    sentAt: row.sent_at,
    expiresAt: row.expires_at,
    acceptedAt: row.accepted_at,
    revokedAt: row.revoked_at,
  }));
}

export interface CheckRow {
  runId: string;
  check: string;
  entity: string;
  expected: string | null;
  actual: string | null;
  passed: boolean;
  checkedAt: string;
}

/** The partner's checks of the latest run that checked it. */
export async function readPartnerChecks(db: Knex, partnerId: number): Promise<CheckRow[]> {
  const { rows } = await db.raw<{ rows: Array<Record<string, any>> }>(
    `SELECT run_id, "check", entity, expected, actual, passed, created_at
       FROM migration.reconciliations
      WHERE legacy_partner_id = ?
        AND run_id = (SELECT max(run_id) FROM migration.reconciliations WHERE legacy_partner_id = ?)
      ORDER BY passed, "check", entity`,
    [partnerId, partnerId],
  );
  return rows.map((row) => ({
    runId: String(row.run_id),
    check: row.check,
    entity: row.entity,
    expected: row.expected,
    actual: row.actual,
    passed: row.passed,
    checkedAt: row.created_at,
  }));
}
