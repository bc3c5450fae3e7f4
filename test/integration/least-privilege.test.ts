import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { connectTarget } from '../../src/load';
import { runPpm } from '../helpers/cli';
import {
  dropQueues,
  freshMariaDb,
  freshPostgres,
  freshQueuePrefix,
  TEST_REDIS_URL,
  type TestDatabase,
} from '../helpers/databases';
import { queryRows } from '../helpers/pg';

/**
 * Least privilege: the pipeline's sessions run as ppm_loader (SET ROLE when the login is a
 * member of it), the archive write guard opens only to the loader, and an auditor reads reports
 * and reconciliations and can write nothing.
 */
describe('least privilege', () => {
  let legacy: TestDatabase;
  let target: TestDatabase;
  const prefix = freshQueuePrefix('least_privilege');
  const suffix = randomBytes(4).toString('hex');
  const auditorLogin = `ppm_t_auditor_${suffix}`;
  const outsiderLogin = `ppm_t_outsider_${suffix}`;

  /** The target's URL as another login (the test server trusts local connections). */
  const urlAs = (login: string) => {
    const url = new URL(target.url);
    url.username = login;
    return url.toString();
  };

  /** Runs `work` on a connection of its own as `login`. */
  async function as<T>(login: string, work: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: urlAs(login) });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => 'allowed',
      (error: { code?: string; message?: string }) => `${error.code}: ${error.message}`,
    );

  beforeAll(async () => {
    [legacy, target] = await Promise.all([freshMariaDb('least_privilege'), freshPostgres('least_privilege')]);
    const env = {
      LEGACY_DATABASE_URL: legacy.url,
      MARKETPLACE_DATABASE_URL: target.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      BATCH_PARTNERS: '3',
      WORKER_CONCURRENCY: '1',
    };
    expect((await runPpm(['legacy', 'seed', '--partners', '6', '--rows', '2000', '--seed', '7'], env)).code).toBe(0);
    expect((await runPpm(['db', 'migrate'], env)).code).toBe(0);
    expect((await runPpm(['wave', 'plan', 'w1', '--all'], env)).code).toBe(0);
    // Which role wrote each table: a statement trigger of the test's own on the tables the
    // load, verify and cutover paths write.
    const admin = new Client({ connectionString: target.url });
    await admin.connect();
    try {
      await admin.query(`
        CREATE TABLE public.write_roles (tbl text NOT NULL, role text NOT NULL);
        GRANT INSERT ON public.write_roles TO PUBLIC;
        CREATE FUNCTION public.record_write_role() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO public.write_roles VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, current_user);
          RETURN NULL;
        END $$;`);
      for (const table of [
        'marketplace.accounts',
        'archive.orders',
        'migration.checkpoints',
        'migration.id_map',
        'migration.reconciliations',
        'migration.reports',
        'migration.wave_partners',
      ])
        await admin.query(
          `CREATE TRIGGER record_write_role AFTER INSERT OR UPDATE ON ${table}
             FOR EACH STATEMENT EXECUTE FUNCTION public.record_write_role()`,
        );
      await admin.query(`CREATE ROLE ${auditorLogin} LOGIN IN ROLE auditor`);
      await admin.query(`CREATE ROLE ${outsiderLogin} LOGIN`);
      // A role that is not the loader, granted archive writes by mistake.
      await admin.query(`GRANT USAGE ON SCHEMA archive TO ${outsiderLogin}`);
      await admin.query(`GRANT SELECT, UPDATE, DELETE ON archive.orders TO ${outsiderLogin}`);
    } finally {
      await admin.end();
    }
    const run = await runPpm(['wave', 'run', 'w1'], env);
    if (run.code !== 0) process.stderr.write(`${run.stdout}\n${run.stderr}\n`);
    expect(run.code).toBe(0);
  });

  afterAll(async () => {
    await Promise.all([legacy?.drop(), target?.drop(), dropQueues(prefix)]);
    const admin = new Client({ connectionString: target.url.replace(/\/[^/]+$/, '/postgres') });
    await admin.connect();
    try {
      await admin.query(`DROP ROLE IF EXISTS ${auditorLogin}`);
      await admin.query(`DROP ROLE IF EXISTS ${outsiderLogin}`);
    } finally {
      await admin.end();
    }
  });

  it('runs every write of the wave (load, verification, report, cutover) as ppm_loader', async () => {
    const rows = await queryRows<{ tbl: string; role: string }>(
      target.url,
      'SELECT DISTINCT tbl, role FROM public.write_roles ORDER BY tbl, role',
    );
    expect(rows.map((row) => row.tbl)).toEqual([
      'archive.orders',
      'marketplace.accounts',
      'migration.checkpoints',
      'migration.id_map',
      'migration.reconciliations',
      'migration.reports',
      'migration.wave_partners',
    ]);
    expect(new Set(rows.map((row) => row.role))).toEqual(new Set(['ppm_loader']));
    const [state] = await queryRows<{ n: number }>(
      target.url,
      `SELECT count(*)::int AS n FROM migration.wave_partners WHERE state <> 'done'`,
    );
    expect(state!.n).toBe(0);
  });

  it('takes the role only when the login may: a member takes it, a login that is not one keeps its own', async () => {
    for (const [login, expected] of [
      ['postgres', 'ppm_loader'],
      [outsiderLogin, outsiderLogin],
    ] as const) {
      const db = connectTarget(urlAs(login), { sessionRole: 'ppm_loader', poolMax: 1 });
      try {
        const { rows } = await db.raw<{ rows: Array<{ role: string }> }>('SELECT current_user AS role');
        expect(rows[0]!.role).toBe(expected);
      } finally {
        await db.destroy();
      }
    }
    const plain = connectTarget(target.url, { poolMax: 1 });
    try {
      const { rows } = await plain.raw<{ rows: Array<{ role: string }> }>('SELECT current_user AS role');
      expect(rows[0]!.role).toBe('postgres');
    } finally {
      await plain.destroy();
    }
  });

  it('opens the archive write guard to the loader only', async () => {
    const attempt = `BEGIN; SET LOCAL ppm.archive_write = 'on'; DELETE FROM archive.orders WHERE false; ROLLBACK`;
    const outsider = await as(outsiderLogin, (client) =>
      refusal(client.query(attempt).finally(() => client.query('ROLLBACK').catch(() => undefined))),
    );
    expect(outsider).toBe(
      `42501: archive.orders is read-only: DELETE by role ${outsiderLogin}, which is not ppm_loader`,
    );
    const loader = await as('postgres', (client) => refusal(client.query(`SET ROLE ppm_loader; ${attempt}`)));
    expect(loader).toBe('allowed');
    const undeclared = await as('postgres', (client) =>
      refusal(client.query('SET ROLE ppm_loader; DELETE FROM archive.orders WHERE false')),
    );
    expect(undeclared).toMatch(/^42501: archive\.orders is read-only: DELETE outside a load transaction/);
  });

  it('lets an auditor read reports and reconciliations and write nothing', async () => {
    await as(auditorLogin, async (client) => {
      const reports = await client.query('SELECT count(*)::int AS n FROM migration.reports');
      expect(reports.rows[0].n).toBeGreaterThan(0);
      const results = await client.query('SELECT count(*)::int AS n FROM migration.reconciliations');
      expect(results.rows[0].n).toBeGreaterThan(0);
      for (const statement of [
        'INSERT INTO migration.reports DEFAULT VALUES',
        'UPDATE migration.reconciliations SET passed = NOT passed',
        'DELETE FROM migration.reports',
        'DELETE FROM archive.orders',
        'TRUNCATE migration.reconciliations',
        'UPDATE marketplace.accounts SET type = type',
        'CREATE TABLE migration.auditor_notes (note text)',
        'CREATE TABLE public.auditor_notes (note text)',
        "SELECT migration.analyze_tables('{migration.reports}')",
      ]) {
        expect(await refusal(client.query(statement))).toMatch(/^42501: /);
      }
    });
    // Every table and schema of the database, not only those tried above (but the test's own record).
    const writable = await queryRows<{ name: string }>(
      target.url,
      `SELECT format('%I.%I', n.nspname, c.relname) AS name
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg_toast%' AND c.oid <> 'public.write_roles'::regclass
          AND has_table_privilege($1, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')
       UNION ALL
       SELECT nspname FROM pg_namespace WHERE has_schema_privilege($1, oid, 'CREATE')`,
      [auditorLogin],
    );
    expect(writable).toEqual([]);
  });
});
