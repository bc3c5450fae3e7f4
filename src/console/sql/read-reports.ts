import type { Knex } from 'knex';
import type { Report } from '../../verify';

export interface ReportListRow {
  id: string;
  runId: string;
  runKind: string;
  wave: string | null;
  createdAt: string;
  sha256: string;
  previousSha256: string | null;
  verdict: string;
  partners: number;
  partnersPassed: number;
  /** This report's previous_sha256 names the sha256 of the report sealed before it. */
  linked: boolean;
}

/** One page of sealed reports, newest first, each with whether it links to the one before (in SQL). */
export async function readReportList(
  db: Knex,
  options: { limit: number; offset: number },
): Promise<{ rows: ReportListRow[]; total: number }> {
  const [{ rows }, counted] = await Promise.all([
    db.raw<{ rows: Array<Record<string, any>> }>(
      `SELECT c.*, u.kind, w.name AS wave FROM (
         SELECT r.id, r.run_id, r.created_at, r.sha256, r.previous_sha256,
                r.body->>'verdict' AS verdict,
                (r.body->'totals'->>'partners')::int AS partners,
                (r.body->'totals'->>'partnersPassed')::int AS partners_passed,
                r.previous_sha256 IS NOT DISTINCT FROM lag(r.sha256) OVER (ORDER BY r.id) AS linked
           FROM migration.reports r) c
         JOIN migration.runs u ON u.id = c.run_id
         LEFT JOIN migration.waves w ON w.id = u.wave_id
        ORDER BY c.id DESC LIMIT ? OFFSET ?`,
      [options.limit, options.offset],
    ),
    db('migration.reports').count<Array<{ n: string }>>('* as n'),
  ]);
  return {
    total: Number(counted[0]?.n ?? 0),
    rows: rows.map((row) => ({
      id: String(row.id),
      runId: String(row.run_id),
      runKind: row.kind,
      wave: row.wave,
      createdAt: row.created_at,
      sha256: row.sha256,
      previousSha256: row.previous_sha256,
      verdict: row.verdict,
      partners: row.partners,
      partnersPassed: row.partners_passed,
      linked: row.linked,
    })),
  };
}

/** What changes whenever a report is added, removed or altered (updated_at is touched by a trigger). */
export async function readReportsVersion(db: Knex): Promise<string> {
  const { rows } = await db.raw<{ rows: Array<{ v: string }> }>(
    `SELECT count(*)::text || ':' || coalesce(max(id)::text, '') || ':' || coalesce(max(updated_at)::text, '') || ':' ||
            coalesce(sum(hashtext(sha256 || coalesce(previous_sha256, '')))::text, '') AS v
       FROM migration.reports`,
  );
  return rows[0]?.v ?? '';
}

/** The pieces of one report the page shows, cut out in SQL: failing rows only, counts of the rest. */
export interface ReportPieces {
  id: string;
  sha256: string;
  previousSha256: string | null;
  header: Pick<Report, 'version' | 'runId' | 'runKind' | 'wave' | 'watermark' | 'generatedAt' | 'verdict' | 'totals'>;
  failedPartners: Report['partners'];
  failedChecks: Report['checks'];
  checkSummary: Array<{ check: string; entity: string; total: number; failed: number }>;
  discrepancies: Report['discrepancies'];
  discrepanciesNotListed: number;
  pending: Report['pending'];
  money: Report['money'];
  quarantine: Report['quarantine'];
  skipped: Report['skipped'];
  findings: Report['findings'];
}

/** A report's version: its seal and when its row last changed (a trigger touches updated_at). */
export async function readReportStamp(db: Knex, reportId: string): Promise<string | undefined> {
  const row = await db('migration.reports').first('sha256', 'updated_at').where({ id: reportId });
  return row ? `${row.sha256}:${new Date(row.updated_at).toISOString()}` : undefined;
}

export async function readReportPieces(db: Knex, reportId: string): Promise<ReportPieces | undefined> {
  const { rows } = await db.raw<{ rows: Array<Record<string, any>> }>(
    // The body is detoasted once (the concatenation makes an in-memory copy every reference shares);
    // the checks are walked once, for their counts and the failed ones together.
    `WITH r AS MATERIALIZED (
       SELECT id, sha256, previous_sha256, body || '{}'::jsonb AS body FROM migration.reports WHERE id = ?),
     c AS MATERIALIZED (
       SELECT c->>'check' AS k, c->>'entity' AS e, count(*)::int AS n,
              count(*) FILTER (WHERE NOT (c->>'passed')::boolean)::int AS f,
              coalesce(jsonb_agg(c) FILTER (WHERE NOT (c->>'passed')::boolean), '[]') AS failed
         FROM r, jsonb_array_elements(r.body->'checks') c GROUP BY 1, 2)
     SELECT r.id, r.sha256, r.previous_sha256,
            jsonb_build_object('version', r.body->'version', 'runId', r.body->'runId', 'runKind', r.body->'runKind',
                               'wave', r.body->'wave', 'watermark', r.body->'watermark',
                               'generatedAt', r.body->'generatedAt', 'verdict', r.body->'verdict',
                               'totals', r.body->'totals') AS header,
            jsonb_path_query_array(r.body->'partners', '$[*] \\? (@.passed == false)') AS failed_partners,
            (SELECT coalesce(jsonb_agg(x), '[]') FROM c, jsonb_array_elements(c.failed) x) AS failed_checks,
            (SELECT coalesce(jsonb_agg(jsonb_build_object('check', k, 'entity', e, 'total', n, 'failed', f)), '[]')
               FROM c) AS check_summary,
            r.body->'discrepancies' AS discrepancies,
            (r.body->>'discrepanciesNotListed')::int AS not_listed,
            coalesce(r.body->'pending', '[]') AS pending,
            r.body->'money' AS money, r.body->'quarantine' AS quarantine,
            r.body->'skipped' AS skipped, r.body->'findings' AS findings
       FROM r`,
    [reportId],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    id: String(row.id),
    sha256: row.sha256,
    previousSha256: row.previous_sha256,
    header: row.header,
    failedPartners: row.failed_partners,
    failedChecks: row.failed_checks,
    checkSummary: row.check_summary,
    discrepancies: row.discrepancies,
    discrepanciesNotListed: row.not_listed,
    pending: row.pending,
    money: row.money,
    quarantine: row.quarantine,
    skipped: row.skipped,
    findings: row.findings,
  };
}

/** The whole body of one report and its seal, for the downloads. */
export async function readReportBody(
  db: Knex,
  reportId: string,
): Promise<{ body: unknown; sha256: string } | undefined> {
  const row = await db('migration.reports').first('body', 'sha256').where({ id: reportId });
  return row ? { body: row.body, sha256: row.sha256 } : undefined;
}
