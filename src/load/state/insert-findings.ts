import type { ClientBase } from 'pg';
import type { Finding } from '../../core/outcomes';

/** Records findings once per (run, entity, legacy key, code): a replayed batch adds nothing. */
export async function insertFindings(
  client: ClientBase,
  runId: string,
  findings: ReadonlyArray<Finding>,
): Promise<number> {
  if (findings.length === 0) return 0;
  const payload = JSON.stringify(
    findings.map((finding) => ({
      entity: finding.entity,
      legacy_key: finding.legacyKey,
      legacy_partner_id: finding.legacyPartnerId,
      code: finding.code,
      detail: finding.detail,
    })),
  );
  const result = await client.query(
    `INSERT INTO migration.findings (run_id, entity, legacy_key, legacy_partner_id, code, detail)
     SELECT $1, r.entity, r.legacy_key, r.legacy_partner_id, r.code, r.detail
       FROM jsonb_to_recordset($2::jsonb) AS r(entity text, legacy_key text, legacy_partner_id int, code text, detail text)
     ON CONFLICT (run_id, entity, legacy_key, code) DO NOTHING`,
    [runId, payload],
  );
  return result.rowCount ?? 0;
}
