/**
 * The nightly sync part of `npm run bench`: after the wave, a sync with nothing to do, then 1 %
 * of every legacy table's rows changed (spread over all partners by a hash of the key) and a
 * sync of them, as `ppm sync run` runs it (re-verification and the report included), each
 * beside the wave's time.
 */
import mysql from 'mysql2/promise';
import { runSync } from '../pipelines/commands/sync-run';
import type { Services } from '../pipelines/services';

export interface SyncBenchResult {
  emptySeconds: number;
  /** Legacy rows the 1 % update changed. */
  changedRows: number;
  changedSeconds: number;
  touchedPartners: number;
  partners: number;
  passed: boolean;
}

/** One statement per legacy table: a real change of a column the mapping carries, on 1 % of its rows. */
const CHANGES: ReadonlyArray<{ table: string; key: string; set: string }> = [
  { table: 'PartnerUsers', key: 'UserId', set: "LastName = LEFT(CONCAT(COALESCE(LastName, ''), '.'), 100)" },
  { table: 'Customers', key: 'CustomerId', set: "City = LEFT(CONCAT(COALESCE(City, ''), '.'), 100)" },
  { table: 'Orders', key: 'OrderId', set: "PoNumber = CONCAT('SYNC-', OrderId)" },
  { table: 'OrderLines', key: 'OrderLineId', set: 'Quantity = Quantity + 1' },
  {
    table: 'Invoices',
    key: 'InvoiceId',
    set: "Status = CASE WHEN Status = 'Paid' THEN 'Open' ELSE 'Paid' END",
  },
  { table: 'InvoiceLines', key: 'InvoiceLineId', set: "Description = CONCAT(LEFT(Description, 390), ' [s]')" },
];

async function changeOnePercent(legacyUrl: string): Promise<number> {
  const legacy = await mysql.createConnection(legacyUrl);
  let changed = 0;
  try {
    for (const change of CHANGES) {
      const [result] = await legacy.query<mysql.ResultSetHeader>(
        `UPDATE \`${change.table}\` SET ${change.set} WHERE MOD(CRC32(\`${change.key}\`), 100) = 0`,
      );
      changed += result.affectedRows;
    }
  } finally {
    await legacy.end();
  }
  return changed;
}

export async function benchSync(
  services: Services,
  waveSeconds: number,
  line: (label: string, value: string) => void,
): Promise<SyncBenchResult> {
  let started = Date.now();
  const empty = await runSync(services);
  const emptySeconds = (Date.now() - started) / 1000;
  line(
    'sync, nothing to do',
    `${emptySeconds.toFixed(2)} s over ${empty.partners} partners (${empty.touched} changed); target < 2 s`,
  );
  const changedRows = await changeOnePercent(services.config.LEGACY_DATABASE_URL);
  started = Date.now();
  const changed = await runSync(services);
  const changedSeconds = (Date.now() - started) / 1000;
  line(
    'sync, 1 % of the rows changed',
    `${changedRows} legacy rows changed, ${changed.touched} of ${changed.partners} partners touched and verified ` +
      `(${changed.passed ? 'PASS' : 'FAIL'}) in ${changedSeconds.toFixed(1)} s = ` +
      `${((changedSeconds / waveSeconds) * 100).toFixed(1)} % of the wave's ${waveSeconds.toFixed(1)} s; target < 5 %`,
  );
  const { phases } = changed;
  line(
    'sync, where the time went',
    `finding changes ${(phases.changes / 1000).toFixed(1)} s, deletes ${(phases.deletes / 1000).toFixed(1)} s, ` +
      `applying ${(phases.apply / 1000).toFixed(1)} s, verifying ${(phases.verify / 1000).toFixed(1)} s`,
  );
  return {
    emptySeconds,
    changedRows,
    changedSeconds,
    touchedPartners: changed.touched,
    partners: changed.partners,
    passed: changed.passed && empty.passed,
  };
}
