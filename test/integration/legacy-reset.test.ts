import { readFile } from 'node:fs/promises';
import mysql from 'mysql2/promise';
import { loadConfig } from '../../src/core/config';
import { RefusedError } from '../../src/core/errors';
import { main } from '../../src/cli/main';
import { openLegacyAdmin } from '../../src/extract/engines';
import { legacyDdlPath } from '../../src/extract/legacy-ddl-path';
import { initLegacy, seedLegacy } from '../../pipelines/commands/legacy-setup';
import { freshMariaDb, freshPostgres, type TestDatabase } from '../helpers/databases';

const PARTNER = {
  PartnerId: 1,
  PartnerCode: 'REAL-01',
  CompanyName: 'A Real Partner AG',
  CountryCode: 'CH',
  CurrencyCode: 'CHF',
  Status: 'Active',
  CreatedAt: '2015-06-01 09:00:00.000',
  ModifiedAtUtc: '2024-01-31T10:00:00.000Z',
};

/** Only a legacy database ppm created may be reset: a real portal (legacy tables, no marker) is refused untouched. */
describe('legacy seed --reset and a real portal', () => {
  const databases: TestDatabase[] = [];
  const fresh = async (tag: string) => {
    const database = await freshMariaDb(tag);
    databases.push(database);
    return database;
  };
  const configOf = (database: TestDatabase) => loadConfig({ LEGACY_DATABASE_URL: database.url });

  const query = async <T>(database: TestDatabase, sql: string): Promise<T[]> => {
    const connection = await mysql.createConnection({ uri: database.url, multipleStatements: true });
    try {
      const [rows] = await connection.query(sql);
      return rows as T[];
    } finally {
      await connection.end();
    }
  };
  const tablesOf = async (database: TestDatabase) =>
    (
      await query<{ name: string }>(
        database,
        'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1',
      )
    ).map((row) => row.name);
  const partnersOf = async (database: TestDatabase) =>
    (await query<{ PartnerCode: string }>(database, 'SELECT PartnerCode FROM Partners ORDER BY PartnerId')).map(
      (row) => row.PartnerCode,
    );

  /** A portal made as its DBAs made it: the legacy DDL, by hand, and a partner. */
  const realPortal = async (tag: string) => {
    const database = await fresh(tag);
    await query(database, await readFile(legacyDdlPath('mariadb.sql'), 'utf8'));
    const admin = await openLegacyAdmin({ url: database.url });
    try {
      await admin.insertRows('Partners', [PARTNER]);
    } finally {
      await admin.close();
    }
    return database;
  };

  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  it('refuses to reset a portal it did not create, and drops nothing', async () => {
    const real = await realPortal('reset_real');
    const before = await tablesOf(real);
    expect(before).toEqual(
      expect.arrayContaining([
        'Customers',
        'InvoiceLines',
        'Invoices',
        'OrderLines',
        'Orders',
        'PartnerUsers',
        'Partners',
      ]),
    );
    expect(before).not.toContain('ppm_synthetic_portal');

    const refused = seedLegacy(configOf(real), { partners: 5, seed: 1, reset: true });
    await expect(refused).rejects.toBeInstanceOf(RefusedError);
    await expect(refused).rejects.toThrow(
      /holds legacy tables \(Partners, PartnerUsers, Customers, Orders, OrderLines, Invoices, InvoiceLines\) but no ppm_synthetic_portal table: it looks like a real Partner Portal.*Nothing was dropped\.$/,
    );
    // `legacy init` on it changes nothing either: the schema is there, and it is not ppm's.
    await initLegacy(configOf(real));
    const admin = await openLegacyAdmin({ url: real.url });
    try {
      await expect(admin.reset()).rejects.toBeInstanceOf(RefusedError);
    } finally {
      await admin.close();
    }
    expect(await tablesOf(real)).toEqual(before);
    expect(await partnersOf(real)).toEqual(['REAL-01']);
  });

  it('exits 2 from ppm legacy seed --reset and ppm demo --reset on such a portal, which keeps its data', async () => {
    const real = await realPortal('reset_real_cli');
    const target = await freshPostgres('reset_real_cli');
    databases.push(target);
    const saved = { ...process.env };
    process.env.LEGACY_DATABASE_URL = real.url;
    process.env.MARKETPLACE_DATABASE_URL = target.url;
    const errors: string[] = [];
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      errors.push(String(chunk));
      return true;
    });
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['node', 'ppm', 'legacy', 'seed', '--partners', '5', '--reset'])).toBe(2);
      expect(errors.join('')).toMatch(/^ppm: the legacy database .* looks like a real Partner Portal/m);
      expect(errors.join('')).toContain('Nothing was dropped.');
      errors.length = 0;
      expect(await main(['node', 'ppm', 'demo', '--partners', '5', '--reset'])).toBe(2);
      expect(errors.join('')).toMatch(/^ppm: the legacy database .* looks like a real Partner Portal/m);
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
      process.env = saved;
    }
    expect(await partnersOf(real)).toEqual(['REAL-01']);
    expect(await tablesOf(real)).not.toContain('ppm_synthetic_portal');
  });

  it('marks the portals it creates, and resets them', async () => {
    const made = await fresh('reset_made');
    await initLegacy(configOf(made));
    const marker = await query<{ Note: string }>(made, 'SELECT Note FROM ppm_synthetic_portal');
    expect(marker).toEqual([{ Note: expect.stringContaining('synthetic portal created by ppm') }]);
    await initLegacy(configOf(made));
    expect(await query(made, 'SELECT Note FROM ppm_synthetic_portal')).toHaveLength(1);

    await seedLegacy(configOf(made), { partners: 3, seed: 1 });
    const first = await partnersOf(made);
    expect(first).toHaveLength(3);
    await expect(seedLegacy(configOf(made), { partners: 2, seed: 2 })).rejects.toThrow(/already holds partners/);
    await seedLegacy(configOf(made), { partners: 2, seed: 2, reset: true });
    expect(await partnersOf(made)).toHaveLength(2);
    expect(await query(made, 'SELECT Note FROM ppm_synthetic_portal')).toHaveLength(1);

    // A database seeded straight away (as `ppm demo` does) is marked too.
    const seeded = await fresh('reset_seeded');
    await seedLegacy(configOf(seeded), { partners: 2, seed: 1 });
    expect(await tablesOf(seeded)).toContain('ppm_synthetic_portal');
    await seedLegacy(configOf(seeded), { partners: 3, seed: 1, reset: true });
    expect(await partnersOf(seeded)).toHaveLength(3);
  });
});
