import mysql from 'mysql2/promise';
import { loadConfig } from '../../src/core/config';
import { createLogger } from '../../src/core/logger';
import { createRun, findWave, migrateTarget } from '../../src/load';
import { seedLegacy } from '../../pipelines/commands/legacy-setup';
import { runSync } from '../../pipelines/commands/sync-run';
import { verifyWave } from '../../pipelines/commands/verify-wave';
import { planWave } from '../../pipelines/commands/wave-plan';
import { runWave } from '../../pipelines/commands/wave-run';
import { openServices, type Services } from '../../pipelines/services';
import {
  dropQueues,
  freshMariaDb,
  freshPostgres,
  freshQueuePrefix,
  TEST_REDIS_URL,
  type TestDatabase,
} from '../helpers/databases';

let databases: TestDatabase[] = [];
let services: Services;
let prefix: string;

afterAll(async () => {
  await services?.close();
  for (const database of databases) await database.drop();
  if (prefix) await dropQueues(prefix);
});

describe('a row changed after the watermark of the run that loaded it', () => {
  it('reaches the target with the first sync', async () => {
    databases = [await freshPostgres('sync_window'), await freshMariaDb('sync_window')];
    prefix = freshQueuePrefix('sync_window');
    const config = loadConfig({
      MARKETPLACE_DATABASE_URL: databases[0]!.url,
      LEGACY_DATABASE_URL: databases[1]!.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'warn',
    });
    await seedLegacy(config, { partners: 4, seed: 5 });
    await migrateTarget(config.MARKETPLACE_DATABASE_URL);
    services = await openServices(config, createLogger({ level: 'warn' }));
    await planWave(services, 'w1', { all: true });
    const wave = (await findWave(services.target, 'w1'))!;

    // The run takes its watermark; a customer is renamed before its page is read.
    const watermark = await services.source.watermark();
    await createRun(services.target, { kind: 'wave', waveId: wave.id, watermark });
    const legacy = await mysql.createConnection(config.LEGACY_DATABASE_URL);
    let customerId: number;
    try {
      const [rows] = await legacy.query<mysql.RowDataPacket[]>(
        'SELECT CustomerId FROM Customers WHERE IsDeleted = 0 ORDER BY CustomerId LIMIT 1',
      );
      customerId = Number(rows[0]!.CustomerId);
      await legacy.query("UPDATE Customers SET CustomerName = 'Renamed while the wave ran' WHERE CustomerId = ?", [
        customerId,
      ]);
    } finally {
      await legacy.end();
    }

    // The wave resumes that run: at its watermark the renamed row is not there yet.
    const run = await runWave(services, 'w1', { cutover: false });
    expect(run.failed).toEqual([]);
    expect(await services.target('marketplace.licensees').where({ legacy_customer_id: customerId })).toEqual([]);

    const sync = await runSync(services);
    expect(sync.waves.flatMap((w) => w.report.discrepancies)).toEqual([]);
    expect(sync.passed).toBe(true);
    expect(sync.touched).toBeGreaterThan(0);
    const licensee = await services
      .target('marketplace.licensees')
      .first('name', 'status')
      .where({ legacy_customer_id: customerId });
    expect(licensee).toEqual({ name: 'Renamed while the wave ran', status: 'Active' });
    expect((await verifyWave(services, 'w1')).passed).toBe(true);
  }, 240_000);
});
