/**
 * The verification part of `npm run bench`: after the wave (which verified its partners as it
 * went), times `verify` of the wave on the untouched target and again with 10 archive rows
 * changed, beside the wave's time.
 */
import { verifyWave } from '../pipelines/commands/verify-wave';
import type { Services } from '../pipelines/services';

export interface VerifyBenchResult {
  archiveRows: number;
  cleanSeconds: number;
  tamperedSeconds: number;
  found: number;
  changed: number;
}

async function shiftAmounts(services: Services, ids: number[], delta: string): Promise<void> {
  await services.target.transaction(async (trx) => {
    await trx.raw("SET LOCAL ppm.archive_write = 'on'");
    await trx.raw(
      `UPDATE archive.invoice_lines
          SET amount = amount + ?::numeric
        WHERE legacy_invoice_line_id = ANY(?::int[])`,
      [delta, ids],
    );
  });
}

export async function benchVerification(
  services: Services,
  waveName: string,
  waveSeconds: number,
  line: (label: string, value: string) => void,
): Promise<VerifyBenchResult> {
  const archiveRows = Number(
    (
      await services.target.raw(
        `SELECT (SELECT count(*) FROM archive.orders) + (SELECT count(*) FROM archive.order_lines)
          + (SELECT count(*) FROM archive.invoices) + (SELECT count(*) FROM archive.invoice_lines) AS n`,
      )
    ).rows[0].n,
  );
  const clean = await verifyWave(services, waveName);
  if (!clean.passed)
    throw new Error(`verify found ${clean.report.totals.discrepancies} discrepancies on the untouched target`);
  // Ten changed amounts spread over the partners: the bisection must name each.
  const changed = (
    await services.target.raw(
      `SELECT legacy_invoice_line_id AS id
       FROM archive.invoice_lines
      ORDER BY md5(legacy_invoice_line_id::text)
      LIMIT 10`,
    )
  ).rows.map((row: { id: number }) => row.id) as number[];
  await shiftAmounts(services, changed, '0.01');
  let tampered;
  try {
    tampered = await verifyWave(services, waveName);
  } finally {
    await shiftAmounts(services, changed, '-0.01');
  }
  const named = new Set(
    tampered.report.discrepancies
      .filter((d) => d.check === 'archive_fidelity' && d.entity === 'invoice_line' && d.kind === 'changed')
      .map((d) => Number(d.legacyKey)),
  );
  const found = changed.filter((id) => named.has(id)).length;
  const cleanSeconds = clean.elapsedMs / 1000;
  // The wave's time includes its own verification, so this ratio is not the old verify/load one.
  const ratio = cleanSeconds / waveSeconds;
  line(
    'verify, no differences',
    `${archiveRows} archive rows in ${cleanSeconds.toFixed(1)} s = ${(ratio * 100).toFixed(0)} % of the wave's time`,
  );
  line(
    'verify, 10 rows changed',
    `${(tampered.elapsedMs / 1000).toFixed(1)} s, found ${found} of ${changed.length} ${found === changed.length ? 'OK' : 'MISSED SOME'}`,
  );
  return { archiveRows, cleanSeconds, tamperedSeconds: tampered.elapsedMs / 1000, found, changed: changed.length };
}
