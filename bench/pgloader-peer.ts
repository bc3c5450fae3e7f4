/**
 * The peer baseline: pgloader (Debian's package, installed when missing) loads the seven legacy
 * tables from the shape's MariaDB database into a scratch PostgreSQL database, dropped and
 * recreated first. The bench times the whole pgloader process and checks both the row counts
 * pgloader reports and those of the tables it wrote against the legacy counts: pgloader exits 0
 * even when it could not create the schema, so its exit code alone proves nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { withDatabase } from '../src/core/config';
import { parseLegacyUrl } from '../src/extract/legacy-url';

export interface PgloaderResult {
  seconds: number;
  version: string;
  /** Rows per legacy table, as pgloader's summary reports them (table names as the legacy DDL spells them). */
  reported: Record<string, number>;
  /** Rows per table counted in the scratch database afterwards. */
  counted: Record<string, number>;
  /** Errors pgloader's summary reports over the seven tables. */
  errors: number;
  /** True when both the reported and the counted rows equal the legacy rows of every table. */
  matches: boolean;
  /** What differed, one line each, when matches is false. */
  mismatches: string[];
}

/** What `pgloader --version` says, and the Debian package's version when it came from one (they differ: 3.6.9-1 says 3.6.7~devel). */
function pgloaderVersion(): string | undefined {
  const result = spawnSync('pgloader', ['--version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  const own = /pgloader version "([^"]+)"/.exec(result.stdout)?.[1] ?? result.stdout.trim().split('\n')[0];
  const dpkg = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'pgloader'], { encoding: 'utf8' });
  return !dpkg.error && dpkg.status === 0 && dpkg.stdout ? `${own} (Debian package ${dpkg.stdout.trim()})` : own;
}

function aptGet(args: string[]): { ok: boolean; output: string } {
  const result = spawnSync('apt-get', args, {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    maxBuffer: 64 * 2 ** 20,
  });
  return { ok: !result.error && result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** pgloader's version; installs Debian's package first (saying so) when pgloader is not on PATH. */
export function ensurePgloader(say: (text: string) => void): string {
  const found = pgloaderVersion();
  if (found) return found;
  say("pgloader is not on PATH: installing Debian's package (apt-get install -y pgloader)");
  let install = aptGet(['install', '-y', 'pgloader']);
  if (!install.ok) {
    // A machine that never ran apt-get update has no (or an old) package list.
    say('apt-get install failed; running apt-get update and trying again');
    const update = aptGet(['update']);
    if (!update.ok) throw new Error(`apt-get update failed:\n${update.output.slice(-2000)}`);
    install = aptGet(['install', '-y', 'pgloader']);
  }
  const version = pgloaderVersion();
  if (!install.ok || !version)
    throw new Error(`could not install pgloader (apt-get install -y pgloader):\n${install.output.slice(-2000)}`);
  say(`pgloader ${version} installed`);
  return version;
}

/**
 * The command file. MariaDB reports the `DEFAULT (UTC_TIMESTAMP(3))` of every ModifiedAtUtc as
 * the text `utc_timestamp(3)`, which pgloader copies into the PostgreSQL DDL as a quoted literal
 * (`default 'utc_timestamp(3)'`): creating the first table fails and pgloader loads nothing. The
 * CAST rule drops the defaults of DATETIME columns (the rows carry their values) and keeps
 * pgloader's default cast (timestamptz, zero dates to NULL) otherwise.
 */
export function pgloaderCommand(from: string, into: string, tables: readonly string[]): string {
  return `LOAD DATABASE
  FROM ${from}
  INTO ${into}
WITH include drop, create tables, create indexes, reset sequences, foreign keys
CAST type datetime to timestamptz drop default using zero-dates-to-null
INCLUDING ONLY TABLE NAMES MATCHING ${tables.map((table) => `'${table}'`).join(', ')};
`;
}

/** Rows and errors per table of pgloader's summary (lines `schema.table  errors  rows  bytes  time`). */
export function parseSummary(output: string, schema: string): Map<string, { errors: number; rows: number }> {
  const tables = new Map<string, { errors: number; rows: number }>();
  const prefix = `${schema.toLowerCase()}.`;
  for (const text of output.split('\n')) {
    const match = /^\s*(\S+)\s+(\d+)\s+(\d+)\s/.exec(text);
    if (!match || !match[1].toLowerCase().startsWith(prefix)) continue;
    tables.set(match[1].slice(prefix.length).toLowerCase(), { errors: Number(match[2]), rows: Number(match[3]) });
  }
  return tables;
}

export async function runPgloader(options: {
  legacyUrl: string;
  /** Any URL of the PostgreSQL server; the scratch database replaces its database. */
  postgresUrl: string;
  database: string;
  /** Legacy rows per table, table names as the legacy DDL spells them. */
  expected: Record<string, number>;
}): Promise<PgloaderResult> {
  const version = pgloaderVersion();
  if (!version) throw new Error('pgloader is not on PATH');
  const legacy = parseLegacyUrl(options.legacyUrl);
  const target = new URL(withDatabase(options.postgresUrl, options.database));
  const admin = new Client({ connectionString: withDatabase(options.postgresUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${options.database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${options.database}`);
  } finally {
    await admin.end();
  }

  // Passwords travel in MYSQL_PWD and PGPASSWORD, which pgloader reads, not in the command file.
  const from = `mysql://${encodeURIComponent(legacy.user)}@${legacy.host}:${legacy.port ?? 3306}/${legacy.database}`;
  const into = `postgresql://${target.username || 'postgres'}@${target.hostname}:${target.port || 5432}/${options.database}`;
  const tables = Object.keys(options.expected);
  const dir = mkdtempSync(join(tmpdir(), 'ppm-bench-pgloader-'));
  const commandFile = join(dir, 'legacy.load');
  writeFileSync(commandFile, pgloaderCommand(from, into, tables));
  let output = '';
  let seconds: number;
  try {
    const started = Date.now();
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn('pgloader', ['--root-dir', dir, '--logfile', join(dir, 'pgloader.log'), commandFile], {
        env: {
          ...process.env,
          ...(legacy.password ? { MYSQL_PWD: legacy.password } : {}),
          ...(target.password ? { PGPASSWORD: decodeURIComponent(target.password) } : {}),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', resolve);
    });
    seconds = (Date.now() - started) / 1000;
    if (code !== 0) throw new Error(`pgloader exited with ${code}:\n${output.slice(-3000)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const summary = parseSummary(output, legacy.database);
  const client = new Client({ connectionString: target.toString() });
  await client.connect();
  const reported: Record<string, number> = {};
  const counted: Record<string, number> = {};
  const mismatches: string[] = [];
  let errors = 0;
  try {
    for (const table of tables) {
      const line = summary.get(table.toLowerCase());
      reported[table] = line?.rows ?? 0;
      errors += line?.errors ?? 0;
      // pgloader downcases identifiers and puts the tables in a schema named after the source database.
      const exists = await client.query<{ name: string | null }>('SELECT to_regclass($1) AS name', [
        `"${legacy.database.toLowerCase()}"."${table.toLowerCase()}"`,
      ]);
      counted[table] = exists.rows[0].name
        ? Number(
            (
              await client.query<{ n: string }>(
                `SELECT count(*) AS n FROM "${legacy.database.toLowerCase()}"."${table.toLowerCase()}"`,
              )
            ).rows[0].n,
          )
        : 0;
      const want = options.expected[table];
      if (!line) mismatches.push(`${table}: not in pgloader's summary`);
      else if (reported[table] !== want) mismatches.push(`${table}: pgloader reported ${reported[table]} of ${want}`);
      if (counted[table] !== want) mismatches.push(`${table}: ${counted[table]} rows loaded of ${want}`);
    }
  } finally {
    await client.end();
  }
  if (errors > 0) mismatches.push(`pgloader reported ${errors} errors`);
  if (mismatches.length > 0 && summary.size === 0) mismatches.push(`pgloader's output ended:\n${output.slice(-3000)}`);
  return { seconds, version, reported, counted, errors, matches: mismatches.length === 0, mismatches };
}
