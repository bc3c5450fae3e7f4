import mysql from 'mysql2/promise';
import { runSync } from '../../pipelines/commands/sync-run';
import { verifyWave } from '../../pipelines/commands/verify-wave';
import { runPpm, startPpm } from '../helpers/cli';
import { targetFingerprint } from '../helpers/fingerprint';
import { countRows, queryRows, sleep } from '../helpers/pg';
import { cleanWave, type VerifiedWave } from './verify-fixture';

/** The same legacy changes, made the same way in each portal. */
const EDITS = [
  "UPDATE Customers SET CustomerName = CONCAT(CustomerName, ' *') WHERE CustomerId % 3 = 0",
  "UPDATE Invoices SET Status = 'Paid' WHERE Status = 'Open' AND InvoiceId % 2 = 0",
  'UPDATE OrderLines SET Quantity = Quantity + 1 WHERE OrderLineId % 7 = 0',
  'UPDATE PartnerUsers SET IsActive = 0 WHERE UserId % 11 = 0',
];

let interrupted: VerifiedWave;
let reference: VerifiedWave;

async function edit(wave: VerifiedWave): Promise<void> {
  const legacy = await mysql.createConnection(wave.env.LEGACY_DATABASE_URL);
  try {
    for (const statement of EDITS) await legacy.query(statement);
  } finally {
    await legacy.end();
  }
}

beforeAll(async () => {
  interrupted = await cleanWave('sync_kill_a', 30);
  reference = await cleanWave('sync_kill_b', 30);
  await edit(interrupted);
  await edit(reference);
}, 300_000);

afterAll(async () => {
  await interrupted?.close();
  await reference?.close();
});

describe('a sync killed with kill -9 and run again', () => {
  it('ends with the same target as an uninterrupted one', async () => {
    const uninterrupted = await runSync(reference.services);
    expect(uninterrupted.passed).toBe(true);
    expect(uninterrupted.touched).toBeGreaterThan(20);

    const url = interrupted.env.MARKETPLACE_DATABASE_URL;
    // One partner per transaction (a group's changed rows reach PARTITION_SIZE with its first
    // partner): the kill lands between two of them.
    const env = { ...interrupted.env, PARTITION_SIZE: '1' };
    const { child, done } = startPpm(['sync', 'run'], env);
    const until = Date.now() + 60_000;
    while (
      Date.now() < until &&
      (await countRows(url, 'SELECT count(*)::int AS n FROM migration.wave_partners WHERE watermark IS NOT NULL')) === 0
    )
      await sleep(10);
    child.kill('SIGKILL');
    const killed = await done;
    expect(killed.signal).toBe('SIGKILL');
    const [run] = await queryRows<{ status: string }>(
      url,
      "SELECT status FROM migration.runs WHERE kind = 'sync' AND wave_id IS NULL ORDER BY id DESC LIMIT 1",
    );
    expect(run!.status).toBe('running');
    const synced = await countRows(
      url,
      'SELECT count(*)::int AS n FROM migration.wave_partners WHERE watermark IS NOT NULL',
    );
    expect(synced).toBeGreaterThan(0);
    expect(synced).toBeLessThan(30);

    const again = await runPpm(['sync', 'run'], interrupted.env);
    expect(again.stdout).toMatch(/PASS/);
    expect(again.code).toBe(0);
    // The partners the killed sync had changed were verified by this one too.
    const touched = uninterrupted.touched;
    expect(again.stdout).toContain(`${touched} of ${touched} partners verified`);
    const runs = await queryRows<{ status: string; error: string | null }>(
      url,
      "SELECT status, error FROM migration.runs WHERE kind = 'sync' AND wave_id IS NULL ORDER BY id",
    );
    expect(runs.map((r) => r.status)).toEqual(['failed', 'succeeded']);

    expect(await targetFingerprint(url)).toEqual(await targetFingerprint(reference.env.MARKETPLACE_DATABASE_URL));
    expect((await verifyWave(interrupted.services, 'w1')).passed).toBe(true);
  }, 240_000);
});
