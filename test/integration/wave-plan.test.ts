import { loadConfig } from '../../src/core/config';
import { UsageError } from '../../src/core/errors';
import { createLogger } from '../../src/core/logger';
import { main } from '../../src/cli/main';
import { createWave, findWave, listWavePartners, migrateTarget } from '../../src/load';
import { seedLegacy } from '../../pipelines/commands/legacy-setup';
import { planWave } from '../../pipelines/commands/wave-plan';
import { openServices, type Services } from '../../pipelines/services';
import { freshMariaDb, freshPostgres, TEST_REDIS_URL, type TestDatabase } from '../helpers/databases';

/** A partner is planned into one wave only, whichever way the wave's partners are chosen. */
describe('ppm wave plan and partners already in a wave', () => {
  let databases: TestDatabase[];
  let services: Services;
  const env: Record<string, string> = {};

  const partnersOf = async (wave: string) => {
    const found = await findWave(services.target, wave);
    return found ? (await listWavePartners(services.target, found.id)).map((p) => p.legacy_partner_id) : undefined;
  };

  beforeAll(async () => {
    databases = [await freshPostgres('wave_plan'), await freshMariaDb('wave_plan')];
    Object.assign(env, {
      MARKETPLACE_DATABASE_URL: databases[0]!.url,
      LEGACY_DATABASE_URL: databases[1]!.url,
      REDIS_URL: TEST_REDIS_URL,
      LOG_LEVEL: 'warn',
    });
    const config = loadConfig(env);
    await seedLegacy(config, { partners: 6, seed: 3 });
    await migrateTarget(config.MARKETPLACE_DATABASE_URL);
    services = await openServices(config, createLogger({ level: 'warn' }));
  });

  afterAll(async () => {
    await services?.close();
    for (const database of databases ?? []) await database.drop();
  });

  it('refuses --partners naming a partner of another wave, naming the partner and the wave, and records nothing', async () => {
    const ids = await services.source.listPartnerIds();
    expect(ids).toHaveLength(6);
    const [a, b, c, d] = ids as [number, number, number, number];
    await planWave(services, 'w1', { ids: [a, b] });

    const one = planWave(services, 'w2', { ids: [b, c] });
    await expect(one).rejects.toThrow(UsageError);
    await expect(one).rejects.toThrow(`partner ${b} is already in wave "w1": a partner is migrated in one wave only`);
    expect(await partnersOf('w2')).toBeUndefined();

    await planWave(services, 'w2', { ids: [c] });
    const several = planWave(services, 'w3', { ids: [d, c, a, b] });
    await expect(several).rejects.toThrow(
      `partners already in another wave: ${a}, ${b} in wave "w1"; ${c} in wave "w2". ` +
        'A partner is migrated in one wave only, so plan this wave without them',
    );
    expect(await partnersOf('w3')).toBeUndefined();
    // The refusal holds below the command too: the wave is never recorded with such a partner.
    await expect(createWave(services.target, 'w3', [d, a])).rejects.toThrow(/partner .* is already in wave "w1"/);
    expect(await partnersOf('w3')).toBeUndefined();
  });

  it('takes only partners in no wave with --count and --all', async () => {
    const ids = await services.source.listPartnerIds();
    const taken = new Set([...(await partnersOf('w1'))!, ...(await partnersOf('w2'))!]);
    const free = ids.filter((id) => !taken.has(id));
    expect(free).toHaveLength(3);
    expect((await planWave(services, 'w-count', { count: 2 })).partnerIds).toEqual(free.slice(0, 2));
    expect((await planWave(services, 'w-all', { all: true })).partnerIds).toEqual(free.slice(2));
    await expect(planWave(services, 'w-none', { all: true })).rejects.toThrow(
      /every legacy partner is already in a wave/,
    );
  });

  it('exits 2 from the command line, naming the partners and their waves', async () => {
    const [a] = (await partnersOf('w1'))!;
    const [c] = (await partnersOf('w2'))!;
    const saved = { ...process.env };
    Object.assign(process.env, env);
    const errors: string[] = [];
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      errors.push(String(chunk));
      return true;
    });
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['node', 'ppm', 'wave', 'plan', 'w9', '--partners', String(a)])).toBe(2);
      expect(errors.join('')).toContain(`ppm: partner ${a} is already in wave "w1"`);
      errors.length = 0;
      expect(await main(['node', 'ppm', 'wave', 'plan', 'w9', '--partners', `${c},${a}`])).toBe(2);
      expect(errors.join('')).toContain(`ppm: partners already in another wave: ${a} in wave "w1"; ${c} in wave "w2"`);
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
      for (const key of Object.keys(env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
    expect(await partnersOf('w9')).toBeUndefined();
  });
});
