import { readdirSync } from 'node:fs';
import { Client } from 'pg';
import { version } from '../../package.json';
import { configSchema, loadConfig } from '../../src/core/config';
import { configDefaultText } from '../../src/cli/environment-help';
import { runPpm } from '../helpers/cli';
import {
  dropQueues,
  freshMariaDb,
  freshPostgres,
  freshQueuePrefix,
  TEST_REDIS_URL,
  type TestDatabase,
} from '../helpers/databases';

/** Entries of the help's "Environment variables:" section: name -> the text of its lines. */
function environmentSection(help: string): Map<string, string> {
  const [, section = ''] = help.split('\nEnvironment variables:\n');
  const entries = new Map<string, string>();
  let current: string | undefined;
  for (const line of section.split('\n')) {
    const start = /^ {2}([A-Z][A-Z0-9_]*)\s+(.*)$/.exec(line);
    if (start) {
      current = start[1];
      entries.set(current, start[2]);
    } else if (current && line.trim()) {
      entries.set(current, `${entries.get(current)} ${line.trim()}`);
    }
  }
  return entries;
}

async function queryTarget<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('ppm --version and --help', () => {
  it('prints the version of package.json', async () => {
    const result = await runPpm(['--version'], {});
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  it('lists every variable of the configuration schema with its default, and LOG_LEVEL', async () => {
    const result = await runPpm(['--help'], {});
    expect(result.code).toBe(0);
    const entries = environmentSection(result.stdout);
    const defaults = loadConfig({});
    for (const name of Object.keys(configSchema.shape) as Array<keyof typeof defaults>) {
      const [meaning, fallback] = (entries.get(name) ?? '').split(' default: ');
      expect({ name, meaning: meaning.length > 0, fallback }).toEqual({
        name,
        meaning: true,
        fallback: configDefaultText(name, defaults),
      });
    }
    expect(entries.get('LOG_LEVEL')).toMatch(/^\S.* default: info$/);
  });
});

describe('ppm db migrate says what it did', () => {
  let target: TestDatabase;

  beforeAll(async () => {
    target = await freshPostgres('cli_migrate');
  });

  afterAll(async () => {
    await target?.drop();
  });

  it('migrated an empty database, then found it up to date, then created it when missing', async () => {
    const env = { MARKETPLACE_DATABASE_URL: target.url };
    const first = await runPpm(['db', 'migrate'], env);
    expect(first.code).toBe(0);
    const [{ n }] = await queryTarget<{ n: number }>(target.url, 'SELECT count(*)::int AS n FROM knex_migrations');
    expect(first.stdout).toMatch(new RegExp(`^migrated database ${target.name}: applied ${n} migrations: 0001-`));

    const second = await runPpm(['db', 'migrate'], env);
    expect(second.code).toBe(0);
    expect(second.stdout.trim()).toBe(`database ${target.name} is already up to date (no migration to apply)`);

    await target.drop();
    const created = await runPpm(['db', 'migrate'], env);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(new RegExp(`^created database ${target.name} and applied ${n} migrations: 0001-`));
  });
});

describe('ppm demo', () => {
  let legacy: TestDatabase;
  let target: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    [legacy, target] = await Promise.all([freshMariaDb('cli_demo'), freshPostgres('cli_demo')]);
    env = {
      LEGACY_DATABASE_URL: legacy.url,
      MARKETPLACE_DATABASE_URL: target.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: freshQueuePrefix('cli_demo'),
    };
  });

  afterAll(async () => {
    await Promise.all([legacy?.drop(), target?.drop(), env && dropQueues(env.QUEUE_PREFIX)]);
  });

  it('says how it migrated the target, and its findings query counts the latest run only', async () => {
    const first = await runPpm(['demo', '--partners', '3'], env);
    expect(first.stderr).not.toMatch(/^ppm:/m);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^1/3 migrated database ${target.name}: applied \\d+ migrations$`, 'm'));
    const query = /psql -d \S+ -c "(.*migration\.findings.*)"$/m.exec(first.stdout)?.[1];
    expect(query).toBeDefined();
    const afterFirst = await queryTarget<{ count: string }>(target.url, query!);
    expect(afterFirst.length).toBeGreaterThan(0);
    // It ends with the messages partners received, as files, and says where they are.
    const mail = /^The messages partners received: (\d+) \.eml file\(s\) in (.+)$/m.exec(first.stdout);
    expect(mail).not.toBeNull();
    expect(mail![2]).toBe(process.env.MAIL_OUTBOX_DIR);
    expect(Number(mail![1])).toBeGreaterThan(0);
    expect(readdirSync(mail![2]).filter((name) => name.endsWith('.eml'))).toHaveLength(Number(mail![1]));
    expect(first.stdout).toMatch(/^cutover: \d+ partner\(s\) cut over/m);

    const second = await runPpm(['demo', '--partners', '3', '--reset'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`^1/3 database ${target.name} is already up to date`, 'm'));
    // Each run recorded its findings; the suggested query still shows one run's worth.
    const [{ n }] = await queryTarget<{ n: number }>(target.url, 'SELECT count(*)::int AS n FROM migration.findings');
    const total = (rows: Array<{ count: string }>) => rows.reduce((sum, row) => sum + Number(row.count), 0);
    expect(n).toBe(2 * total(afterFirst));
    expect(await queryTarget(target.url, query!)).toEqual(afterFirst);
  });
});
