import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { sparePort } from './own-redis';

const BIN = '/usr/lib/postgresql/15/bin';

/** The uid and gid of the `postgres` account: PostgreSQL refuses to run as root. */
function postgresAccount(): { uid: number; gid: number } {
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  };
}

/**
 * A PostgreSQL server of the test's own: a fresh cluster in a temporary folder, on a spare
 * loopback port, trust authentication. A fault test stops and starts it by process id; the
 * machine's shared server is never touched.
 */
export class OwnPostgres {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<OwnPostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'ppm-own-pg-'));
    const account = postgresAccount();
    chownSync(dir, account.uid, account.gid);
    execFileSync(`${BIN}/initdb`, ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8'], {
      uid: account.uid,
      gid: account.gid,
      stdio: 'ignore',
    });
    const server = new OwnPostgres(await sparePort(), dir);
    await server.startProcess();
    return server;
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private async startProcess(): Promise<void> {
    const account = postgresAccount();
    this.child = spawn(
      `${BIN}/postgres`,
      [
        '-D',
        join(this.dir, 'data'),
        '-p',
        String(this.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${this.dir}`,
        '-c',
        'fsync=off',
      ],
      { uid: account.uid, gid: account.gid, stdio: 'ignore' },
    );
    for (let i = 0; i < 200; i++) {
      const client = new Client({ connectionString: this.url() });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('SELECT 1');
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    throw new Error(`own PostgreSQL did not start on port ${this.port}`);
  }

  /** Stops the server (fast shutdown, by its process id); `start` brings it back with its data. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  }

  async start(): Promise<void> {
    await this.startProcess();
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
