import { existsSync } from 'node:fs';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/core/logger';
import { legacyDdlPath } from '../../../src/extract/legacy-ddl-path';
import { describeMariaDbUrl, mariaDbPoolOptions } from '../../../src/extract/mariadb/connect';
import { createMssqlPool, describeMssqlUrl, mssqlPoolConfig } from '../../../src/extract/mssql/connect';

describe('MariaDB connection options', () => {
  it('asks mysql2 for exact values and never a Date', () => {
    const options = mariaDbPoolOptions('mysql://app:p%40ss@db.example:3307/partner_portal?connectionLimit=8');
    expect(options).toMatchObject({
      host: 'db.example',
      port: 3307,
      user: 'app',
      password: 'p@ss',
      database: 'partner_portal',
      supportBigNumbers: true,
      bigNumberStrings: true,
      decimalNumbers: false,
      dateStrings: true,
      connectionLimit: 8,
      multipleStatements: false,
    });
    expect(String(options.charset).toLowerCase()).toContain('utf8mb4');
    expect(mariaDbPoolOptions('mysql://root@127.0.0.1/x', { withoutDatabase: true }).database).toBeUndefined();
  });

  it('describes a URL without its credentials', () => {
    expect(describeMariaDbUrl('mysql://root:secret@127.0.0.1:3306/pp')).toBe('127.0.0.1:3306/pp');
  });
});

describe('SQL Server connection options', () => {
  it('reads server, credentials and TLS flags from the URL', () => {
    const url = 'mssql://sa:Str0ng%21@sql.example:14330/partner_portal?trustServerCertificate=true';
    expect(mssqlPoolConfig(url)).toMatchObject({
      server: 'sql.example',
      port: 14330,
      user: 'sa',
      password: 'Str0ng!',
      database: 'partner_portal',
      options: { encrypt: true, trustServerCertificate: true },
    });
    expect(mssqlPoolConfig('mssql://sa:x@h/db', { toMaster: true }).database).toBe('master');
    expect(describeMssqlUrl('mssql://sa:Str0ng@h:1433/db')).toBe('h:1433/db');
  });
});

describe('SQL Server pool errors', () => {
  it('logs an error event of the pool, redacted, instead of ending the process', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    const logger = createLogger({ level: 'warn', destination });
    const pool = createMssqlPool('mssql://sa:Str0ngSecret@sql.example:14330/partner_portal', { logger });
    const error = Object.assign(
      new Error('Login failed for mssql://sa:Str0ngSecret@sql.example:14330 (owner anna.muster@example.com)'),
      { code: 'ELOGIN' },
    );
    // Without a listener, emit('error') throws the error: in node-mssql it ends the process.
    expect(() => pool.emit('error', error)).not.toThrow();
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as {
      level: string;
      msg: string;
      server: string;
      err: { message: string; code: string };
    };
    expect(line).toMatchObject({ level: 'warn', server: 'sql.example:14330/partner_portal', err: { code: 'ELOGIN' } });
    expect(line.msg).toContain('SQL Server connection error');
    expect(lines[0]).not.toContain('Str0ngSecret');
    expect(lines[0]).not.toContain('anna.muster');
    expect(pool.connected).toBe(false);
  });
});

describe('legacy DDL', () => {
  it('finds the legacy DDL from the package root', () => {
    expect(existsSync(legacyDdlPath('mariadb.sql'))).toBe(true);
    expect(existsSync(legacyDdlPath('mssql.sql'))).toBe(true);
  });
});
